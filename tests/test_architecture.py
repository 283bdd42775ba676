"""Les couches tiennent : écrans → cartographie et ui ; cartographie sans Streamlit ; SQL dans
stockage seulement ; ui ne garde que ce qui a besoin de Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[1]


def _imports(fichier: Path) -> set[str]:
    arbre = ast.parse(fichier.read_text(encoding="utf-8"))
    noms: set[str] = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            noms.update(a.name for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module)
            noms.update(f"{noeud.module}.{a.name}" for a in noeud.names)
    return noms


def _modules(dossier: str) -> list[Path]:
    return sorted((RACINE / dossier).rglob("*.py"))


@pytest.mark.parametrize("fichier", _modules("ecrans"), ids=lambda p: p.name)
def test_un_ecran_ne_passe_pas_par_le_stockage(fichier: Path) -> None:
    interdits = {i for i in _imports(fichier) if i.startswith("cartographie.stockage")}
    assert not interdits, f"{fichier.name} importe {sorted(interdits)} : passer par cartographie"


@pytest.mark.parametrize(
    "fichier", _modules("cartographie"), ids=lambda p: str(p.relative_to(RACINE))
)
def test_le_metier_n_importe_jamais_streamlit(fichier: Path) -> None:
    assert not {i for i in _imports(fichier) if i.split(".")[0] in ("streamlit", "ui", "ecrans")}


@pytest.mark.parametrize("fichier", _modules("ui"), ids=lambda p: p.name)
def test_ui_ne_garde_que_ce_qui_a_besoin_de_streamlit(fichier: Path) -> None:
    # ui/texte.py n'importe pas Streamlit mais ne sert qu'à lui : il échappe son Markdown
    # (y compris ses directives `:red[…]`) avant un st.caption, st.error…
    if fichier.name in ("__init__.py", "texte.py"):
        return
    assert "streamlit" in {i.split(".")[0] for i in _imports(fichier)}, (
        f"ui/{fichier.name} n'utilise pas Streamlit : sa place est dans cartographie/"
    )


def test_le_sql_ne_vit_que_dans_le_stockage() -> None:
    # Un mot-clé SQL suivi d'une table, dans une chaîne : le signe d'une requête.
    motifs = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    fautifs = []
    for dossier in ("cartographie", "ui", "ecrans"):
        for fichier in _modules(dossier):
            if "stockage" in fichier.parts:
                continue
            for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
                if (
                    isinstance(noeud, ast.Constant)
                    and isinstance(noeud.value, str)
                    and any(m in noeud.value for m in motifs)
                    and " FROM " in noeud.value + " "
                ):
                    fautifs.append(f"{fichier.relative_to(RACINE)}:{noeud.lineno}")
    assert not fautifs
