"""``python -m ementor_kit.i18n update|check [lang]``: refresh or check a catalogue."""

import sys

from ementor_kit.i18n.catalog import catalog_problems, po_path, update_catalog


def main(argv: list[str]) -> int:
    """Run ``update`` (merge the sources' messages into the .po) or ``check``."""
    if not argv or argv[0] not in ("update", "check"):
        print("usage: python -m ementor_kit.i18n update|check [lang]", file=sys.stderr)
        return 2
    lang = argv[1] if len(argv) > 1 else "fr"
    if argv[0] == "update":
        n, todo = update_catalog(lang)
        print(f"{po_path(lang)}: {n} messages, {todo} to translate")
        return 0
    problems = catalog_problems(lang)
    print("\n".join(problems) or f"{po_path(lang)}: complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
