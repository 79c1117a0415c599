package org.openmmsc.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A point in time as MMS headers give it: absolute (a date) or relative to submission (delta seconds). */
public sealed interface TimeSpec {

    /** The absolute instant this spec names for a message submitted at {@code submittedAt}. */
    Instant resolve(Instant submittedAt);

    record Absolute(Instant at) implements TimeSpec {
        public Absolute { Objects.requireNonNull(at, "at"); }
        @Override public Instant resolve(Instant submittedAt) { return at; }
    }

    record Relative(Duration after) implements TimeSpec {
        public Relative {
            Objects.requireNonNull(after, "after");
            if (after.isNegative()) throw new IllegalArgumentException("relative time must not be negative: " + after);
        }
        @Override public Instant resolve(Instant submittedAt) { return submittedAt.plus(after); }
    }

    static TimeSpec at(Instant instant) { return new Absolute(instant); }
    static TimeSpec after(Duration duration) { return new Relative(duration); }
}
