"""A tiny, separate Django site standing in for a council service (a parking-permit site) that
signs people in through this provider with Authlib's OpenID Connect client. It has its own
settings, no database (sessions in signed cookies) and runs in a process of its own."""
