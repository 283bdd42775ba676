"""La fiche à remettre en page HTML : à imprimer depuis le navigateur, ou à rouvrir sur un
téléphone par le lien du code QR.

Même contenu que le PDF (`contenu.Fiche`). Chaque texte passe par `html.escape` : un nom ou une
adresse qui contient des balises s'affiche tel quel, sans jamais s'exécuter. Aucun script,
aucune ressource extérieure : le code QR est un SVG dans la page.
"""

from __future__ import annotations

import html
import re

from cartographie.remise.contenu import Fiche
from cartographie.remise.qr import qr_svg

_STYLE = """
.fiche-remise { font-family: "DejaVu Sans", "Noto Sans Arabic", Arial, sans-serif;
  color: #000; max-width: 46rem; line-height: 1.4; }
.fiche-remise h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
.fiche-remise.standard h1 { color: #000091; }
.fiche-remise .date { color: #555; font-size: .8rem; margin: 0 0 1rem; }
.fiche-remise .numeros { border: 2px solid #888; padding: .4rem .8rem; margin-bottom: 1.2rem; }
.fiche-remise.standard .numeros { border-color: #e1000f; }
.fiche-remise.standard .numeros h2 { color: #e1000f; }
.fiche-remise h2 { font-size: 1.1rem; margin: .3rem 0; }
.fiche-remise ul { list-style: none; padding: 0; margin: 0; }
.fiche-remise .numeros li { margin: .15rem 0; }
.fiche-remise .numero { font-weight: bold; display: inline-block; min-width: 3.2rem; }
.fiche-remise .lieu { border-bottom: 1px solid #ccc; padding: .4rem 0; }
.fiche-remise .lieu p { margin: .1rem 0; }
.fiche-remise .nom { font-weight: bold; font-size: 1.05rem; }
.fiche-remise .telephone { font-weight: bold; }
.fiche-remise .qr { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
.fiche-remise .pied { color: #555; font-size: .7rem; margin-top: 1.5rem; }
@media print { .fiche-remise a { color: #000; text-decoration: none; } }
"""


def _lien_tel(numero: str) -> str:
    chiffres = re.sub(r"[^0-9+]", "", numero)
    texte = html.escape(numero)
    return f'<a href="tel:{chiffres}" dir="ltr">{texte}</a>' if chiffres else texte


def corps_html(fiche: Fiche, avec_qr: bool = True) -> str:
    """La fiche en un bloc `<section>` (style compris), pour une page ou `st.html`."""
    e = html.escape
    sens = "rtl" if fiche.droite_a_gauche else "ltr"
    parties = [
        f"<style>{_STYLE}</style>",
        f'<section class="fiche-remise {fiche.forme.value}" lang="{fiche.balise_langue}"'
        f' dir="{sens}">',
        f"<h1>{e(fiche.titre)}</h1>",
        f'<p class="date">{e(fiche.date)}</p>',
        f'<div class="numeros"><h2>{e(fiche.titre_numeros)}</h2>',
        f"<p>{e(fiche.sous_titre_numeros)}</p><ul>",
    ]
    for n in fiche.numeros:
        precision = f" — {e(n.precision)}" if n.precision else ""
        parties.append(
            f'<li><span class="numero">{_lien_tel(n.numero)}</span> {e(n.libelle)}{precision}</li>'
        )
    parties.append("</ul></div>")
    if fiche.contacts:
        parties.append(f"<h2>{e(fiche.titre_contacts)}</h2>")
    for c in fiche.contacts:
        lignes = [f'<p class="nom">{e(c.nom)}</p>']
        if c.sous_titre:
            lignes.append(f"<p>{e(c.sous_titre)}</p>")
        if c.ligne_telephone:
            # Le libellé traduit, le numéro en lien d'appel.
            libelle = e(c.ligne_telephone).replace(e(c.telephone), _lien_tel(c.telephone), 1)
            lignes.append(f'<p class="telephone">{libelle}</p>')
        for texte in (c.lieu, c.horaires, c.precisions, c.infos, c.site):
            if texte:
                lignes.append(f"<p>{e(texte)}</p>")
        parties.append('<div class="lieu">' + "".join(lignes) + "</div>")
    if fiche.aucun_contact:
        parties.append(f"<p>{e(fiche.aucun_contact)}</p>")
    if fiche.lien and avec_qr:
        parties.append(f'<div class="qr">{qr_svg(fiche.lien)}<p>{e(fiche.legende_lien)}</p></div>')
    if fiche.pied:
        parties.append(f'<p class="pied">{e(fiche.pied)}</p>')
    parties.append("</section>")
    return "".join(parties)


def page_html(fiche: Fiche) -> str:
    """Une page HTML autonome, à ouvrir et imprimer depuis le navigateur."""
    sens = "rtl" if fiche.droite_a_gauche else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{fiche.balise_langue}" dir="{sens}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{html.escape(fiche.titre)}</title></head><body>"
        f"{corps_html(fiche)}</body></html>"
    )
