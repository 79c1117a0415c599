package org.openmmsc.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RoutePolicy;

class BackoffTest {
    @Test
    void doublesUpToTheCapWithoutJitter() {
        RoutePolicy p = new RoutePolicy(1, 100, Duration.ofSeconds(30), Duration.ofHours(1), 0.0, null, null);
        Random r = new Random(1);
        assertEquals(Duration.ofSeconds(30), Backoff.after(1, p, r));
        assertEquals(Duration.ofSeconds(60), Backoff.after(2, p, r));
        assertEquals(Duration.ofSeconds(1920), Backoff.after(7, p, r));
        assertEquals(Duration.ofHours(1), Backoff.after(8, p, r));
        assertEquals(Duration.ofHours(1), Backoff.after(90, p, r), "no overflow at many failures");
    }

    @Test
    void jitterSpreadsWithinItsBounds() {
        RoutePolicy p = new RoutePolicy(1, 100, Duration.ofSeconds(100), Duration.ofHours(1), 0.25, null, null);
        Random r = new Random(2);
        long min = Long.MAX_VALUE, max = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = Backoff.after(1, p, r).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(min >= 75_000 && min < 80_000, "min " + min);
        assertTrue(max <= 125_000 && max > 120_000, "max " + max);
    }
}
