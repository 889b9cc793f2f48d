"""The data map for the DPIA, generated from the model's own declarations.

    python -m mediadesk.store.datamap > docs/data-map.md

Every table, and in it every column declared personal (``info=personal(...)``, see
`mediadesk.store.privacy`): why it is kept, how long, and whether an anonymisation blanks it.
A test checks that the committed docs/data-map.md matches this output.
"""

from __future__ import annotations

import sys

from sqlalchemy import Table

from mediadesk.store import models as _models  # noqa: F401  (every table in the metadata)
from mediadesk.store.base import Base
from mediadesk.store.linkage import dossier_table_names

WHO = {
    "dossier": "l'équipe (périmètre de synchronisation) ; le journal d'audit par les responsables",
    "staff": "l'équipe ; l'administrateur de la structure",
    "local": "ce poste seulement (jamais synchronisé)",
}


def _who(table: Table) -> str:
    if table.name in dossier_table_names():
        return WHO["dossier"]
    if table.name == "local_setting":
        return WHO["local"]
    return WHO["staff"]


def render() -> str:
    """The data map as Markdown."""
    lines = [
        "# Carte des données (AIPD)",
        "",
        "<!-- Généré par `python -m mediadesk.store.datamap > docs/data-map.md` : ne pas éditer "
        "à la main. -->",
        "",
        "Tout est stocké dans le fichier chiffré (SQLCipher) du poste et synchronisé avec le "
        "serveur de l'équipe, sauf `local_setting`. Les exports de données personnelles "
        "(droit d'accès, sauvegardes) sont chiffrés. Le journal d'audit (`audit_event`) ne "
        "contient jamais les données elles-mêmes ; il est conservé 6 à 12 mois.",
        "",
        "| table | colonne | type | finalité | durée de conservation | anonymisation | "
        "accès |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    plain: list[str] = []
    for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
        personal = [column for column in table.c if column.info.get("personal")]
        if not personal:
            plain.append(table.name)
            continue
        for column in personal:
            blanked = "effacée" if column.info.get("anonymise", True) else "conservée"
            lines.append(
                f"| {table.name} | {column.name} | {column.type.compile()} | "
                f"{column.info['purpose']} | {column.info['retention']} | {blanked} | "
                f"{_who(table)} |"
            )
    lines += [
        "",
        "Tables sans colonne personnelle déclarée (identifiants, dates, codes, montants) : "
        + ", ".join(f"`{name}`" for name in plain) + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
