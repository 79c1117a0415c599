package org.openmmsc.mm7;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Function;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.mm7.netty.Mm7HttpServer;
import org.openmmsc.mm7.service.Mm7Service;

/** The MM7 interface as a node runs it: the VASP listener, started and stopped as one. */
public final class Mm7Interface implements AutoCloseable {
    private final Mm7Config config;
    private final Mm7HttpServer server;
    private final int port;

    private Mm7Interface(Mm7Config config, Mm7HttpServer server, int port) {
        this.config = config;
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the listener. {@code messages} looks up stored messages (CancelReq checks ownership).
     */
    public static Mm7Interface start(Mm7Config config, Relay relay, NumberNormalizer numbers,
                                     Function<MessageId, Optional<Message>> messages, MeterRegistry meters) throws InterruptedException {
        Mm7HttpServer server = new Mm7HttpServer(config, new Mm7Service(relay, numbers, messages), meters);
        try {
            return new Mm7Interface(config, server, server.start());
        } catch (InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String describe() {
        return "MM7 http://" + config.bindAddress() + ":" + port + "/";
    }

    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public void close() {
        server.close();
    }
}
