"""The workspace, secrets and people every test uses."""

TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0TEST"
OWNER = "UOWNER1"
ALICE = "U0ALICE"
