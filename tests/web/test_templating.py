"""The per-field template helpers: the markup forms depend on, escaped."""

from __future__ import annotations

from glutecoach.web.templating import described, error_for, is_on, is_selected, options


def test_error_for_names_its_id_and_escapes_the_message() -> None:
    assert error_for({}, "weekly_km") == ""
    assert error_for({"weekly_km": "must be < 300 & > 0"}, "weekly_km") == (
        '<p class="field-error" id="e-weekly_km">must be &lt; 300 &amp; &gt; 0</p>'
    )


def test_described_points_at_the_hint_and_the_message() -> None:
    assert described({}, "name") == ""
    assert described({}, "name", hint=True) == ' aria-describedby="h-name"'
    failed = {"name": "required"}
    assert described(failed, "name") == ' aria-describedby="e-name" aria-invalid="true"'
    assert described(failed, "name", hint=True) == (
        ' aria-describedby="h-name e-name" aria-invalid="true"'
    )


def test_is_on_and_is_selected_read_one_value_or_a_list() -> None:
    assert is_on({"days": ["mon", "thu"]}, "days", "thu") == "checked"
    assert is_on({"days": ["mon"]}, "days", "thu") == ""
    assert is_on({"side": "left"}, "side", "left") == "checked"
    assert is_on({}, "side", "left") == ""
    assert is_selected({"effort": "7"}, "effort", 7) == "selected"
    assert is_selected({}, "pain", 0, "0") == "selected"
    assert is_selected({}, "pain", 1, "0") == ""


def test_options_select_the_submitted_or_default_value_and_escape_labels() -> None:
    choices = [("", "Choose…"), ("1", "1 <easy>"), ("2", "2 & more")]
    assert options({"e": "2"}, "e", choices) == (
        '<option value="">Choose…</option>'
        '<option value="1">1 &lt;easy&gt;</option>'
        '<option value="2" selected>2 &amp; more</option>'
    )
    assert 'value="" selected' in options({}, "e", choices)
    assert 'value="1" selected' in options({}, "e", choices, default="1")
