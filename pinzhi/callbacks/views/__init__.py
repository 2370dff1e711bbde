"""The callback pages: the operators' queue and call screen (calls.py), the officers'
manual callbacks, requests and late list (officer.py), the agent's own (agent.py).

Thin, as every page: rows through `restrict(user)`, changes through `services`, a refusal
(CallbackRefused) shown on the page with nothing changed."""
