"""The org chart journey in Slack: the CSV upload modal and its report."""
