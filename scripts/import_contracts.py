"""An import-linter contract of our own: a domain's pages reach other domains through services.

A page (a view module) may import its own domain's modules, the base modules at the top of
tracker/, a module listed as shared, another domain's `services` (or a module inside it), and a
section of another domain's (its part of this page, with its own form posted to its own route,
as a template includes another's partial); anything else of another domain is its own
business, to be gathered by one of its services.
Only direct imports count: what a service imports is that service's choice.
"""

from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules


class ThroughServicesContract(Contract):
    """Pages import other domains only through their services or the modules listed as shared."""

    type_name = "through_services"

    pages = fields.ListField(subfield=fields.ModuleExpressionField())
    shared = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    sections = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        """Find each direct import from a page into another domain that is not a service."""
        pages = sorted(m.name for m in module_expressions_to_modules(graph, self.pages))
        shared = {
            m.name
            for m in module_expressions_to_modules(
                graph, [*(self.shared or []), *(self.sections or [])]
            )
        }
        reaches = []
        for page in pages:
            for imported in sorted(graph.find_modules_directly_imported_by(page)):
                parts = imported.split(".")
                # tracker.<domain>.<module>: a top-level module (tracker.<module>) is a base one.
                if len(parts) < 3 or parts[1] == page.split(".")[1] or imported in shared:
                    continue
                if parts[2] == "services":
                    continue
                details = graph.get_import_details(importer=page, imported=imported)
                lines = ", ".join(str(detail["line_number"]) for detail in details)
                reaches.append(f"{page} -> {imported} (l.{lines})")
        return ContractCheck(kept=not reaches, warnings=[], metadata={"reaches": reaches})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print each reach, and what to do about it."""
        for reach in check.metadata["reaches"]:
            output.print_error(reach, bold=False)
        output.new_line()
        output.print(
            "Gather what the page needs in a service of the other domain, or move it down."
        )
