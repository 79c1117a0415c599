package org.openmmsc.mm4.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.model.MessageId;

/**
 * Hub mode: the Received: lines a relayed message arrived with, kept until it is forwarded, so the
 * forward carries the whole trace and the next hub counts every hop (RFC 5321 §4.4).
 *
 * <p>Held in memory, bounded (oldest dropped first): the core's message record has no field for a
 * trace. A relayed message forwarded after a restart, or by another node of a shared store,
 * carries only this hub's own Received: line, so a loop's count can restart once then; it still
 * grows by at least one per pass, so the loop still ends at {@code smtp.hubMaxHops}.
 */
final class HubTraces {
    private final int capacity;
    private final Map<MessageId, List<String>> traces;

    HubTraces(int capacity) {
        this.capacity = capacity;
        this.traces = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, List<String>> eldest) {
                return size() > HubTraces.this.capacity;
            }
        };
    }

    synchronized void remember(MessageId id, List<String> receivedValues) {
        traces.put(id, List.copyOf(receivedValues));
    }

    /** The Received: values the message arrived with (newest first, as in the header), or none if unknown. */
    synchronized List<String> of(MessageId id) {
        return traces.getOrDefault(id, List.of());
    }

    synchronized void forget(MessageId id) {
        traces.remove(id);
    }
}
