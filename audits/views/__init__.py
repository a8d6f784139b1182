"""The pages, one module per part of the site: home, the audit form, the report, the
journey and the hub pages.

Every lookup goes through the access decider of its type (`get_audit_for`,
`get_school_for`, `get_hub_for`): what a person may not see is a 404, never a hint that
it exists.
"""
