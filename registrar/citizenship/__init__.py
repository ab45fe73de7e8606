"""Citizenship ceremonies, the registrar's side: the Home Office's invitations (its API), matching
an invitation to the person who proved their identity, the new citizen's pages for a seat at a
group ceremony or a private ceremony, the registrar's record of the day (entries in the
citizenship register) and what is told back to the Home Office. Flat modules by part."""
