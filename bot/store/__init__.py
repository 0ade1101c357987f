"""The database: engine and sessions, typed models, and small query modules."""
