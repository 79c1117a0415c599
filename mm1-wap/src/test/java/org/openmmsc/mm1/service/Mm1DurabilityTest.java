package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.relay.LoggingChargingEvents;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.StoreException;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsPdu;

/** m-send-conf waits for the store: Ok only once the message is durable, a transient status when the store fails. */
class Mm1DurabilityTest {
    private final InMemoryMessageStore backing = new InMemoryMessageStore(Clock.systemUTC());
    private volatile CompletableFuture<Void> gate = new CompletableFuture<>();
    private volatile boolean failPuts;

    private final MessageStore gatedStore = (MessageStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MessageStore.class},
            (proxy, method, args) -> {
                if (method.getName().equals("put")) {
                    if (failPuts) return CompletableFuture.failedFuture(new StoreException("disk full", null));
                    @SuppressWarnings("unchecked")
                    CompletableFuture<MessageStore.PutResult> put = (CompletableFuture<MessageStore.PutResult>) invoke(method, args);
                    return gate.thenCompose(v -> put);
                }
                return invoke(method, args);
            });

    private Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(backing, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final Relay relay = new Relay(gatedStore, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), Clock.systemUTC(),
            new LoggingChargingEvents(), List.of(), new SimpleMeterRegistry());
    private final Mm1Service service = new Mm1Service(Mm1Config.defaults(), relay, gatedStore, NumberingConfig.defaults().normalizer(),
            new ContentTokens("durability-secret-0123".getBytes(StandardCharsets.US_ASCII)));

    private CompletableFuture<Mm1Response> send(String tid) {
        return service.post(InetAddress.getLoopbackAddress(), h -> h.equalsIgnoreCase("X-MSISDN") ? Mm1Fixture.ALICE : null,
                Mm1Fixture.sendReq(tid).to(Mm1Fixture.BOB).encode());
    }

    @Test
    void theSendConfWaitsUntilTheStoreIsDurable() throws Exception {
        CompletableFuture<Mm1Response> answer = send("d-1");
        Thread.sleep(200);
        assertFalse(answer.isDone(), "answered before the store completed");
        gate.complete(null);
        MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(answer.get(5, TimeUnit.SECONDS).pdu());
        assertEquals(MmsStatus.OK, conf.responseStatus());
    }

    @Test
    void aStoreFailureIsATransientFailureNotAnHttpError() throws Exception {
        failPuts = true;
        Mm1Response r = send("d-2").get(5, TimeUnit.SECONDS);
        assertEquals(200, r.httpStatus());
        MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(r.pdu());
        assertEquals(MmsStatus.TRANSIENT_FAILURE, conf.responseStatus());
        assertEquals("d-2", conf.transactionId());
        assertEquals(null, conf.messageId());
    }
}
