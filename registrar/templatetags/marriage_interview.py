"""Template tags of the interview part's panels: the couple's page is another part's view, so the
panel reads what it needs from the proposal here."""

from django import template

from registrar.marriage import selectors

register = template.Library()


@register.simple_tag
def must_move_to(proposal):
    """The first day the ceremony may move to when the Home Office investigates and it is booked
    too soon; None otherwise."""
    return selectors.must_move_to(proposal)
