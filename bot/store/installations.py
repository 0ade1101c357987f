"""The tables of slack_sdk's installation and OAuth state stores, declared with Upward's models.

slack_sdk's `SQLAlchemyInstallationStore` and `SQLAlchemyOAuthStateStore` read and write these
tables on Upward's engine; declaring them here lets the migrations and the models agree on them.
"""

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.store.models import Base

BOTS = "slack_bots"
INSTALLATIONS = "slack_installations"
OAUTH_STATES = "slack_oauth_states"

bots = SQLAlchemyInstallationStore.build_bots_table(metadata=Base.metadata, table_name=BOTS)
installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata=Base.metadata, table_name=INSTALLATIONS
)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES)
