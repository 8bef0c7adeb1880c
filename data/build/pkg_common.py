"""Helpers to write the Frictionless field and resource dictionaries concisely."""

RETRIEVED = "2026-11-28"


def F(
    name,
    type_,
    desc,
    unit=None,
    required=False,
    enum=None,
    minimum=None,
    maximum=None,
    pattern=None,
    unique=False,
    ordered=False,
    title=None,
):
    f = {"name": name, "type": type_, "description": desc}
    if title:
        f["title"] = title
    if unit:
        f["unit"] = unit
    if type_ == "boolean":
        f["trueValues"] = ["true"]
        f["falseValues"] = ["false"]
    if type_ == "date":
        f["format"] = "default"
    c = {}
    if required:
        c["required"] = True
    if unique:
        c["unique"] = True
    if enum is not None:
        c["enum"] = list(enum)
    if minimum is not None:
        c["minimum"] = minimum
    if maximum is not None:
        c["maximum"] = maximum
    if pattern is not None:
        c["pattern"] = pattern
    if c:
        f["constraints"] = c
    if ordered:
        f["enumOrdered"] = True
    return f


LIC_SIPRI = {
    "name": "SIPRI-terms",
    "title": (
        "SIPRI terms and conditions of use: free non-commercial use (teaching and research) with a clear"
        " reference to the SIPRI source; reproduction of less than 10 per cent of a data set counts as"
        " fair use"
    ),
    "path": "http://web.archive.org/web/20160211055816/http://www.sipri.org/databases/terms",
}
LIC_COW = {
    "name": "COW-terms",
    "title": (
        "Correlates of War: free to use; cite the data set and its version (Barbieri and Keshk 2016;"
        " Barbieri, Keshk and Pollins 2009)"
    ),
    "path": "http://correlatesofwar.org/data-sets/bilateral-trade/international-trade-1870-2009-v3-0",
}
LIC_WB = {
    "name": "CC-BY-4.0",
    "title": (
        "World Bank open data: Creative Commons Attribution 4.0 (the datasets/gdp copy is under PDDL 1.0)"
    ),
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LIC_DATAVERSE = {
    "name": "Dataverse-terms",
    "title": (
        "Harvard Dataverse terms: cite Bailey, Strezhnev and Voeten, 'Estimating Dynamic State Preferences"
        " from United Nations Voting Data', and the Dataverse record hdl:1902.1/12379"
    ),
}
LIC_UN = {
    "name": "UN-terms",
    "title": (
        "United Nations documents: public information, cite the UN Dag Hammarskjold Library; the intermediate"
        " compilation is MIT-licensed"
    ),
}
LIC_PRESS = {
    "name": "per-source",
    "title": (
        "Figures and facts reported by the press, ministries and news agencies; each row links its source and"
        " the course stores only short factual values in its own words"
    ),
}
LIC_COURSE = {
    "name": "CC-BY-4.0",
    "title": "Course's own compilation (rows researched for the course)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
