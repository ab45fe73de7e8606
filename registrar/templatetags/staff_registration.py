"""How a registration staff took, and its declaration, read in words on the staff pages (the
register entry's page shows them beside the entry)."""

from django import template

from ..staff_registration import words

register = template.Library()


@register.simple_tag
def taken_by_words(registration) -> str:
    return words.taken_by_words(registration)


@register.simple_tag
def declaration_words(registration) -> str:
    return words.declaration_words(registration)
