"""The `prediction_agreement:` check: a dataset's recorded prediction column must agree with the
predictions the audited model gives on the same rows; a column that does not is stale, or came
from another model."""
