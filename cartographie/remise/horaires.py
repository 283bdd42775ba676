"""Les horaires d'accueil écrits dans la langue de la fiche : « lun.–ven. 09:00–12:00 ».

La fiche ne dit pas « ouvert maintenant » (elle dure) mais la semaine type. Les heures sont lues
par `opening-hours-py` (comme `cartographie.horaires`) sur une semaine réelle sans jour férié ;
les noms des jours viennent du CLDR (Babel), si bien qu'aucun mot n'est traduit à la main.
Des horaires que la semaine ne résume pas (commentaires, « inconnu », illisibles) sont
imprimés tels quels.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import opening_hours

from cartographie.horaires import _lire
from cartographie.horloge import PARIS
from cartographie.remise.langues import Traduction

_SEMAINES_ESSAYEES = 6
Plages = tuple[tuple[time, time], ...]


def _jours_feries() -> opening_hours.OpeningHours:
    return _lire("PH")


def _semaine_sans_ferie(depuis: date) -> date:
    """Le lundi de la première semaine (à partir de `depuis`) qui n'a aucun jour férié."""
    lundi = depuis - timedelta(days=depuis.weekday())
    feries = _jours_feries()
    for _ in range(_SEMAINES_ESSAYEES):
        midis = (datetime.combine(lundi + timedelta(days=i), time(12), PARIS) for i in range(7))
        if not any(feries.is_open(m) for m in midis):
            return lundi
        lundi += timedelta(days=7)
    return lundi


def _plages_par_jour(texte: str, lundi: date) -> list[Plages] | None:
    """Les plages ouvertes de chaque jour de la semaine, ou None si elle ne se résume pas."""
    try:
        horaires = _lire(texte)
    except (opening_hours.ParserError, SyntaxError, ValueError):
        return None
    debut = datetime.combine(lundi, time(0), PARIS)
    jours: list[list[tuple[time, time]]] = [[] for _ in range(7)]
    for ouvre, ferme, etat, commentaire in horaires.intervals(debut, debut + timedelta(days=7)):
        if commentaire or etat == opening_hours.State.UNKNOWN:
            return None
        if etat != opening_hours.State.OPEN:
            continue
        # Une plage qui passe minuit est coupée en deux jours.
        instant = ouvre.astimezone(PARIS)
        fin = ferme.astimezone(PARIS)
        while instant < fin:
            minuit = datetime.combine(instant.date() + timedelta(days=1), time(0), PARIS)
            jusqu_a = min(fin, minuit)
            rang = (instant.date() - lundi).days
            if 0 <= rang < 7:
                jours[rang].append((instant.time(), jusqu_a.time()))
            instant = jusqu_a
    return [tuple(j) for j in jours]


def _heure(h: time) -> str:
    return f"{h.hour:02d}:{h.minute:02d}"


def _plage(debut: time, fin: time) -> str:
    return f"{_heure(debut)}–{'24:00' if fin == time(0) else _heure(fin)}"


def horaires_ecrits(texte: str, t: Traduction, le: date) -> str:
    """Les horaires de la semaine type dans la langue de `t` ; le texte brut s'ils résistent."""
    texte = texte.strip()
    if not texte:
        return ""
    jours = _plages_par_jour(texte, _semaine_sans_ferie(le))
    if jours is None or not any(jours):
        return t.isoler(texte)
    if all(j == ((time(0), time(0)),) for j in jours):
        resume = t("24 h/24, 7 j/7")
    else:
        noms = t.locale.days["format"]["abbreviated"]
        groupes: list[tuple[int, int, Plages]] = []
        for rang, plages in enumerate(jours):
            if groupes and groupes[-1][2] == plages and groupes[-1][1] == rang - 1:
                groupes[-1] = (groupes[-1][0], rang, plages)
            else:
                groupes.append((rang, rang, plages))
        morceaux = []
        for premier, dernier, plages in groupes:
            if not plages:
                continue
            quand = noms[premier] if premier == dernier else f"{noms[premier]}–{noms[dernier]}"
            heures = ", ".join(_plage(d, f) for d, f in plages)
            morceaux.append(f"{quand} {t.isoler(heures)}")
        resume = " · ".join(morceaux)
    if "PH off" in texte.replace("  ", " "):
        resume += " · " + t("fermé les jours fériés")
    return resume
