"""No module of tracker/ imports itself through others, at import time or inside a function."""

import grimp


def test_no_import_cycle():
    graph = grimp.build_graph("tracker", cache_dir=None)
    assert "tracker.app" in graph.modules  # the graph holds the package
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert cycles == []
