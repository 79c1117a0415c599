package org.openmmsc.core.model;

import java.util.Objects;

/**
 * Reply charging (TS 23.140 §8.x, X-Mms-Reply-Charging*): the originator pays for a reply
 * sent before {@code deadline} and no larger than {@code maxSize} bytes.
 */
public record ReplyCharging(Mode mode, TimeSpec deadline, Long maxSize, String replyChargingId) {
    public enum Mode { REQUESTED, REQUESTED_TEXT_ONLY, ACCEPTED, ACCEPTED_TEXT_ONLY }

    public ReplyCharging {
        Objects.requireNonNull(mode, "reply charging mode");
        if (maxSize != null && maxSize < 0) throw new IllegalArgumentException("reply charging size must not be negative");
    }
}
