"""Province-wide 精准招商: the target list across chains, the 招商台账, history and alerts."""
