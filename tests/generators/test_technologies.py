"""Technology fingerprints match markup a product emits, never prose about it."""

from generators.technologies import detect_technologies

URL = "https://relaypoint.example/"


def names(html: str) -> set[str]:
    return {tech.name for tech in detect_technologies(url=URL, html=html)}


def test_it_recognises_script_sources_generators_and_inline_globals():
    html = """<html><head>
      <meta name="generator" content="WordPress 6.5.2">
      <script src="https://js.driftt.com/include/1712345678/abc.js"></script>
      <script>(function(){ window._linkedin_partner_id = "123"; })();</script>
      <script>Munchkin.init('123-ABC-456');</script>
      </head><body><form action="https://webto.salesforce.com/servlet/servlet.WebToLead"></form></body></html>"""

    assert names(html) == {"WordPress", "Drift", "LinkedIn Insight Tag", "Marketo", "Salesforce"}


def test_it_ignores_technologies_only_mentioned_in_the_text():
    html = "<html><body><h2>Integrates with Stripe, HubSpot and Intercom</h2><p>js.stripe.com</p></body></html>"

    assert names(html) == set()


def test_each_detection_shows_the_markup_it_rests_on():
    html = '<html><head><meta name="generator" content="Webflow"></head><body data-wf-site="abc"></body></html>'

    [webflow] = detect_technologies(url=URL, html=html)

    assert (webflow.name, webflow.category) == ("Webflow", "cms")
    assert webflow.evidence[0].url == URL
    assert webflow.evidence[0].snippet == '<meta name="generator" content="Webflow">'
