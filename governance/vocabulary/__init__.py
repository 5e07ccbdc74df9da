"""The values every layer shares: findings, evidence tables and charts, and the text types that
mask identifiers and escape prose before they reach a report."""
