"""The email lint: spam triggers, length, subject, calls to action, tokens."""

import pytest

from generators.lint import lint_email

GOOD_BODY = (
    "Hi {{first_name}},\n\nI'm writing because {{company}} looks like the kind of B2B SaaS team Ledgerly "
    "was built for. If month-end close lands on your desk as {{role}}, this is for you.\n\n"
    "Ledgerly is a finance automation platform. In one line: close your books in days, not weeks.\n\n"
    "Would a short call to see whether it fits {{company}} be useful?\n\n{{sender_name}}"
)
GOOD_CTA = "Would a short call to see whether it fits {{company}} be useful?"


def _lint(subject="Month-end close at {{company}}", body=GOOD_BODY, cta=GOOD_CTA, **kwargs):
    return lint_email(subject=subject, body=body, call_to_action=cta, **kwargs)


def test_a_good_cold_email_passes_clean():
    lint = _lint()

    assert lint == {"spam_triggers": [], "word_count": 60, "subject_length": 30, "warnings": []}


@pytest.mark.parametrize(("text", "trigger"), [
    ("Act now before it is gone.", "act now"),
    ("It's completely risk-free.", "risk-free"),
    ("Results are 100% guaranteed.", "100% guaranteed"),
    ("Click here to see the numbers.", "click here"),
    ("This is FREE for you.", "all caps: FREE"),
    ("Amazing!!!", "!!!"),
    ("Save $$$ on tooling.", "$$$"),
    ("Free money for your team.", "free money"),
])
def test_it_flags_spam_triggers(text, trigger):
    lint = _lint(body=f"{GOOD_BODY}\n\n{text}")

    assert trigger in lint["spam_triggers"]
    assert any(w.startswith("Spam trigger(s):") for w in lint["warnings"])


def test_acronyms_and_the_product_name_are_not_shouting():
    body = GOOD_BODY.replace("In one line", "HIPAA and GDPR ready, with SOC2 reports and a CRM sync. ZENITH")

    assert _lint(body=body, allowed_words=["ZENITH"])["spam_triggers"] == []


def test_it_warns_about_long_and_thin_bodies():
    long_body = GOOD_BODY.replace("In one line", " ".join(["Detail"] * 120) + ". In one line")

    assert "rarely read" in " ".join(_lint(body=long_body)["warnings"])
    assert "reads as a template" in " ".join(_lint(body=f"Hi {{{{first_name}}}}, {GOOD_CTA}")["warnings"])


@pytest.mark.parametrize(("subject", "warning"), [
    ("A subject line that keeps going well past what any inbox will show", "characters"),
    ("One two three four five six seven eight nine ten", "words"),
])
def test_it_warns_about_subjects_an_inbox_cuts(subject, warning):
    lint = _lint(subject=subject)

    assert lint["subject_length"] == len(subject)
    assert any(warning in w for w in lint["warnings"])


def test_it_flags_fake_reply_prefixes():
    assert "fake reply/forward prefix in the subject" in _lint(subject="RE: our call")["spam_triggers"]


def test_it_warns_about_more_than_one_call_to_action():
    body = GOOD_BODY.replace("{{sender_name}}", "Or book a demo at https://ledgerly.example/demo.\n\n{{sender_name}}")

    assert any("2 calls to action" in w for w in _lint(body=body)["warnings"])


def test_it_warns_when_the_call_to_action_is_not_in_the_body():
    assert "The call to action does not appear in the body." in _lint(cta="Reply YES to start.")["warnings"]


@pytest.mark.parametrize(("text", "warning"), [
    ("Hi {{favourite_colour}}", "Unknown token {{favourite_colour}}"),
    ("Hi {first_name}", "Unresolved placeholder '{first_name}'"),
    ("Hi [First Name]", "Unresolved placeholder '[First Name]'"),
    ("Hi {{first_name", "Unresolved placeholder '{{'"),
])
def test_it_flags_tokens_a_sender_cannot_fill(text, warning):
    lint = _lint(body=GOOD_BODY.replace("Hi {{first_name}},", text))

    assert any(w.startswith(warning) for w in lint["warnings"]), lint["warnings"]
