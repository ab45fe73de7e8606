"""Searches that carry personal data (names, dates of birth, postcodes, email addresses) are
posted, never put in a URL. A valid search is kept in the session under a random token for
`PRIVATE_SEARCH_MINUTES` and the page redirects to `?search=<token>`, so its results can be
reloaded and paged (`&page=2`) while browser history, the Referer header and the web log see
only the token. The token means nothing outside the session that made it.

A view:

    search = private_search(request, "support")
    form = SupportSearchForm(search.data)
    if search.data is not None and form.is_valid():
        if search.posted:
            return search.redirect_to_results()
        ...run the search and show the results...
    ...render, with `search.expired` to say that an old token has run out...
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

TOKEN_PARAMETER = "search"
SESSION_KEY = "private_searches"
# Fields a page posts that are not the search: the CSRF token and the submit button.
NOT_ANSWERS = ("csrfmiddlewaretoken", "submit")
# Searches kept per page: a staff member comparing a few searches in tabs, not a history.
KEPT_PER_PAGE = 5


@dataclass
class PrivateSearch:
    request: HttpRequest
    name: str
    # The answers to bind the form to, or None when there is no search (or it has expired).
    data: QueryDict | None
    posted: bool = False
    expired: bool = False
    token: str = ""

    def redirect_to_results(self) -> HttpResponseRedirect:
        """Keep the posted answers and redirect (303) to the token URL that shows their results."""
        token = _keep(self.request, self.name, self.data)
        response = HttpResponseRedirect(f"{self.request.path}?{TOKEN_PARAMETER}={token}")
        response.status_code = 303
        return response

    def page_url(self, page: int) -> str:
        """The URL of another page of these results: the token and the page number only."""
        query = QueryDict(mutable=True)
        query[TOKEN_PARAMETER] = self.token
        query["page"] = str(page)
        return f"?{query.urlencode()}"


def private_search(request: HttpRequest, name: str) -> PrivateSearch:
    """The search `request` asks for on the page called `name`: the posted answers, the answers
    kept under the token in the query string, or none. Anything else in a query string is
    ignored: a link carrying a name is never searched, so it is never worth making."""
    if request.method == "POST":
        data = request.POST.copy()
        for key in NOT_ANSWERS:
            data.pop(key, None)
        return PrivateSearch(request, name, data, posted=True)
    token = request.GET.get(TOKEN_PARAMETER, "")
    if not token:
        return PrivateSearch(request, name, None)
    data = _recall(request, name, token)
    return PrivateSearch(request, name, data, expired=data is None, token=token if data is not None else "")


def _lifetime() -> int:
    return int(settings.PRIVATE_SEARCH_MINUTES) * 60


def _live(request: HttpRequest, name: str) -> dict:
    now = time.time()
    kept = request.session.get(SESSION_KEY, {}).get(name, {})
    return {token: entry for token, entry in kept.items() if now - entry["at"] < _lifetime()}


def _keep(request: HttpRequest, name: str, data: QueryDict) -> str:
    token = secrets.token_urlsafe(16)
    kept = _live(request, name)
    kept[token] = {"at": time.time(), "answers": {key: data.getlist(key) for key in data}}
    newest = sorted(kept.items(), key=lambda item: item[1]["at"])[-KEPT_PER_PAGE:]
    searches = request.session.get(SESSION_KEY, {})
    searches[name] = dict(newest)
    request.session[SESSION_KEY] = searches
    return token


def _recall(request: HttpRequest, name: str, token: str) -> QueryDict | None:
    entry = _live(request, name).get(token)
    if entry is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in entry["answers"].items():
        data.setlist(key, list(values))
    return data
