"""The ribbon of the add-in (`customUI/customUI.xml`): one tab «Beregningsutvalget» with one large
button «Beregn dekningsgrad» whose callback is the template's own `RibbonMyAddin.RunMain`."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

# The template's VBA callback: runs `import <xlam base name>; <xlam base name>.main()`.
CALLBACK = "RibbonMyAddin.RunMain"
# Qualified tab id: other add-in files declaring the same namespace and idQ share this tab.
TAB_NAMESPACE = "Beregningsutvalget"
TAB_IDQ = "bu:Beregningsutvalget"
TAB_LABEL = "Beregningsutvalget"
BUTTON_LABEL = "Beregn dekningsgrad"
SCREENTIP = "Beregn dekningsgrad"
SUPERTIP = ("Kontrollerer alle innleverte skjema i innleveringsmappa (se arket Oppsett), henter de "
            "godkjente inn i masterarbeidsboka, beregner på nytt og viser et sammendrag. Går noe galt, "
            "settes masteren tilbake slik den var.")


def custom_ui_xml() -> bytes:
    """The complete customUI.xml (Office 2007 schema, as in the template), UTF-8."""
    button = (f'<button id="beregnDekningsgrad" label={quoteattr(BUTTON_LABEL)} size="large" '
              f'imageMso="CalculateNow" onAction={quoteattr(CALLBACK)} '
              f'screentip={quoteattr(SCREENTIP)} supertip={quoteattr(SUPERTIP)} />')
    text = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui" '
        f'xmlns:bu={quoteattr(TAB_NAMESPACE)}>\n'
        "    <ribbon>\n"
        "        <tabs>\n"
        f"            <tab idQ={quoteattr(TAB_IDQ)} label={quoteattr(TAB_LABEL)}>\n"
        '                <group id="dekningsgradGruppe" label="Dekningsgrad">\n'
        f"                    {button}\n"
        "                </group>\n"
        "            </tab>\n"
        "        </tabs>\n"
        "    </ribbon>\n"
        "</customUI>\n"
    )
    return text.encode("utf-8")
