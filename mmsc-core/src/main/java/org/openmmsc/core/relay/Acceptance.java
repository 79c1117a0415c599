package org.openmmsc.core.relay;

import org.openmmsc.core.model.MessageId;

/**
 * A message is durable: its id, and whether this submission repeated an earlier one (same
 * interface, sender and transaction id) so nothing new was stored.
 */
public record Acceptance(MessageId id, boolean duplicate, int deliveries) {}
