package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.ConfigException;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Status;
import org.openmmsc.mm7.service.TokenBucket;
import org.openmmsc.mm7.service.VaspDirectory;

/** The pieces behind VASP admission, without a network (address blocks: core CidrBlockTest): the token bucket, credentials, status classes. */
class AccountChecksTest {

    @Test
    void tokenBucketAllowsTheBurstThenTheRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake(), "burst of 3 spent");
        now.addAndGet(99_000_000L);
        assertFalse(bucket.tryTake(), "less than 1/10 s later: no token yet");
        now.addAndGet(2_000_000L);
        assertTrue(bucket.tryTake());
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake(), "a long pause refills only up to the burst");
    }

    @Test
    void credentialsAreCheckedBeforeTheSource() throws Exception {
        VaspDirectory vasps = new VaspDirectory(new Mm7Config(null, null, null, null, null,
                List.of(new VaspAccount("news", "n", "pw", List.of("10.0.0.0/8"), null, null, null, null, null, null, null, null, null, null)), null),
                System::nanoTime);
        InetAddress inside = InetAddress.getByName("10.0.0.1");
        InetAddress outside = InetAddress.getByName("192.0.2.1");
        assertEquals("news", vasps.authenticate(basic("n:pw"), inside).id());
        assertEquals(Mm7Status.IMPROPER_IDENTIFICATION, assertThrows(Mm7Exception.class, () -> vasps.authenticate(basic("n:nope"), outside)).status(),
                "a wrong password says nothing about the source");
        assertEquals(Mm7Status.IMPROPER_IDENTIFICATION, assertThrows(Mm7Exception.class, () -> vasps.authenticate(basic("x:pw"), inside)).status());
        assertEquals(Mm7Status.IMPROPER_IDENTIFICATION, assertThrows(Mm7Exception.class, () -> vasps.authenticate("Basic !!!", inside)).status());
        assertEquals(Mm7Status.IMPROPER_IDENTIFICATION, assertThrows(Mm7Exception.class, () -> vasps.authenticate(null, inside)).status());
        assertEquals(Mm7Status.SERVICE_DENIED, assertThrows(Mm7Exception.class, () -> vasps.authenticate(basic("n:pw"), outside)).status());
    }

    private static String basic(String userPassword) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void unknownCodesReadAsTheirClass() {
        assertEquals(Mm7Status.SERVICE_UNAVAILABLE, Mm7Status.of(4006));
        assertEquals(Mm7Status.GENERAL_SERVICE_ERROR, Mm7Status.of(4567));
        assertEquals(Mm7Status.CLIENT_ERROR, Mm7Status.of(2550));
        assertEquals(Mm7Status.SERVER_ERROR, Mm7Status.of(3005));
        assertEquals(Mm7Status.SUCCESS, Mm7Status.of(1999));
        assertTrue(Mm7Status.SERVICE_UNAVAILABLE.isServerFault());
        assertFalse(Mm7Status.ADDRESS_ERROR.isServerFault());
    }

    @Test
    void badAccountsAreRefusedWithTheirKey() {
        assertEquals("password", assertThrows(ConfigException.class, () -> VaspAccount.of("news", null, List.of())).path());
        assertEquals("shortCodes[0]", assertThrows(ConfigException.class, () -> VaspAccount.of("news", "pw", List.of("12"))).path());
        assertEquals("deliveryUrl", assertThrows(ConfigException.class, () -> new VaspAccount("news", null, "pw", null, null, null, null, null, null,
                java.net.URI.create("ftp://vasp.example/"), null, null, null, null)).path());
        assertEquals("vasps[1].id", assertThrows(ConfigException.class, () -> new Mm7Config(null, null, null, null, null,
                List.of(VaspAccount.of("a", "pw", List.of()), VaspAccount.of("a", "pw2", List.of())), null)).path());
        assertEquals("maxPerSecond", assertThrows(ConfigException.class, () -> new VaspAccount("news", null, "pw", null, null, null, 0.0, null, null,
                null, null, null, null, null)).path());
    }
}
