"""Our import-linter contract: a page reaches another domain only through its services."""

import grimp

from scripts.import_contracts import ThroughServicesContract


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            graph.add_module(module)
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="")
    return graph


def _check(graph):
    contract = ThroughServicesContract(
        name="pages",
        session_options={"root_packages": ["tracker"]},
        contract_options={
            "pages": ["tracker.*.views"],
            "shared": ["tracker.auth.permissions"],
            "sections": ["tracker.grades.page"],
        },
    )
    return contract.check(graph, verbose=False)


def test_a_page_reaching_into_another_domain_breaks_the_contract():
    check = _check(
        _graph(
            ("tracker.recommendations.views", "tracker.responses.review"),
            ("tracker.recommendations.views", "tracker.responses.services"),
        )
    )
    assert not check.kept
    assert check.metadata["reaches"] == [
        "tracker.recommendations.views -> tracker.responses.review (l.3)"
    ]


def test_services_base_modules_shared_ones_sections_and_its_own_domain_keep_it():
    check = _check(
        _graph(
            ("tracker.recommendations.views", "tracker.responses.services"),
            ("tracker.recommendations.views", "tracker.followup.services.lines"),
            ("tracker.recommendations.views", "tracker.recommendations.forms"),
            ("tracker.recommendations.views", "tracker.auth.permissions"),
            ("tracker.recommendations.views", "tracker.grades.page"),
            ("tracker.recommendations.views", "tracker.dates"),
            # Not a page: what a service imports is its own choice.
            ("tracker.dashboard.services", "tracker.auth.leavers"),
        )
    )
    assert check.kept
