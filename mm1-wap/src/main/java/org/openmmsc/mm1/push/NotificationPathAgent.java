package org.openmmsc.mm1.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.Mm1Config.Notification.PushPath;

/**
 * The delivery agent for local subscribers: hands each notification to the path configured for
 * the recipient's number range ({@code mm1.notification}), PAP or SMPP. Reports to an MM1 sender
 * take the path of the sender's number the same way.
 */
public final class NotificationPathAgent implements DeliveryAgent, WapPushPath {
    /** A path: the agent that notifies, and the same object as a pusher of other PDUs. */
    public interface Path extends DeliveryAgent, WapPushPath {}

    private final Mm1Config.Notification choice;
    private final Map<PushPath, ? extends Path> paths;
    private final MeterRegistry meters;

    /** {@code paths} holds every path {@code choice} names (the configuration check guarantees an SMSC when SMPP is named). */
    public NotificationPathAgent(Mm1Config.Notification choice, Map<PushPath, ? extends Path> paths, MeterRegistry meters) {
        for (PushPath p : PushPath.values()) {
            if (choice.uses(p) && !paths.containsKey(p)) throw new IllegalArgumentException("no " + p + " path, yet the configuration names it");
        }
        this.choice = choice;
        this.paths = Map.copyOf(paths);
        this.meters = meters;
    }

    @Override
    public RouteKind routeKind() {
        return RouteKind.LOCAL_MM1;
    }

    /** The path a push to {@code to} takes; E-mail and other non-PLMN addresses take the default (which refuses them). */
    public PushPath pathFor(Address to) {
        return choice.pathFor(to.value());
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        PushPath path = pathFor(delivery.recipient().address());
        return paths.get(path).deliver(message, delivery).whenComplete((outcome, error) -> {
            String result = error != null ? "error" : outcome.getClass().getSimpleName();
            Counter.builder("mmsc.mm1.notifications").tag("path", path.name().toLowerCase(Locale.ROOT)).tag("outcome", result)
                    .description("m-notification-ind attempts by path and outcome").register(meters).increment();
        });
    }

    @Override
    public CompletableFuture<Outcome> push(String pushId, Address to, byte[] mmsPdu) {
        return paths.get(pathFor(to)).push(pushId, to, mmsPdu);
    }
}
