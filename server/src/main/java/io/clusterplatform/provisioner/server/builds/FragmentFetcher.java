package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.artifacts.OwnArtifacts;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Gets the inputs of a build named by URL. A URL of one of our own artifacts ({@code
 * .../<kind>/<uuid>/<file>} that the store has, see {@link OwnArtifacts#find}) is read from the store
 * directly, whatever host it names; any other http(s) URL is downloaded with a size limit ({@value
 * #MAX_BYTES} bytes) and a time limit, so a wrong URL cannot fill the disk or hang a worker.
 *
 * <p>A download never goes to a loopback, link-local or unspecified address, nor to one of this
 * machine's own addresses (its services behind the firewall, and cloud metadata at 169.254.169.254),
 * unless the operator allows it ({@code provisioner.fetch.allow-local-addresses}, {@code
 * PROVISIONER_FETCH_ALLOW_LOCAL_ADDRESSES=true}). Every address the host name resolves to is checked,
 * and so is each redirect's target, before anything is sent; the refusal reads the same whatever
 * listens there. (A name that resolves differently between the check and the connection is not
 * caught: the check is against mistakes and probing, not against a hostile DNS server.)
 */
@Component
public class FragmentFetcher {
    static final long MAX_BYTES = 512L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_REDIRECTS = 5;

    private final ArtifactStore store;
    private final OwnArtifacts own;
    private final boolean allowLocalAddresses;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public FragmentFetcher(
            ArtifactStore store,
            OwnArtifacts own,
            @Value("${provisioner.fetch.allow-local-addresses:false}") boolean allowLocalAddresses) {
        this.store = store;
        this.own = own;
        this.allowLocalAddresses = allowLocalAddresses;
    }

    /** Checks that a URL field holds an absolute http(s) URL; a 400 problem names the field if not. */
    public static String requireUrl(String field, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw ProblemException.invalid("'" + field + "' must be an http or https URL, got '" + value + "'");
            }
            return value;
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("'" + field + "' is not a URL: " + e.getMessage());
        }
    }

    /** Copies the URL's bytes to {@code target}. */
    public void fetch(String field, String url, Path target) throws IOException {
        Optional<StoredFile> ours = own.find(url);
        if (ours.isPresent()) {
            copy(ours.get(), target);
            return;
        }
        HttpResponse<InputStream> response = send(field, url);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw ProblemException.invalid("'" + field + "' (" + url + ") answered HTTP " + response.statusCode());
            }
            long declared =
                    response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > MAX_BYTES) {
                throw ProblemException.invalid("'" + field + "' is " + declared + " bytes, more than the " + MAX_BYTES
                        + " a build input may have");
            }
            // the request's timeout covers the wait for the headers: the body gets its own deadline
            var deadline = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            in.close();
                        } catch (IOException e) {
                            // closing is all that is left to do
                        }
                    },
                    java.util.concurrent.CompletableFuture.delayedExecutor(
                            TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            try {
                copyLimited(in, target, field);
            } catch (IOException e) {
                if (deadline.isDone()) {
                    throw ProblemException.invalid("'" + field + "' (" + url + ") took longer than "
                            + TIMEOUT.toMinutes() + " min to download");
                }
                throw e;
            } finally {
                deadline.cancel(false);
            }
        }
    }

    /** GETs the URL, following up to {@value #MAX_REDIRECTS} redirects, each target checked first. */
    private HttpResponse<InputStream> send(String field, String url) throws IOException {
        URI target = URI.create(url);
        for (int hop = 0; ; hop++) {
            requireRemote(field, url, target);
            HttpResponse<InputStream> response;
            try {
                response = http.send(
                        HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + field);
            }
            Optional<String> location = response.headers().firstValue("Location");
            int status = response.statusCode();
            if (status < 300 || status > 399 || status == 304 || location.isEmpty()) {
                return response;
            }
            response.body().close();
            if (hop == MAX_REDIRECTS) {
                throw ProblemException.invalid(
                        "'" + field + "' (" + url + ") redirects more than " + MAX_REDIRECTS + " times");
            }
            try {
                target = target.resolve(new URI(location.get()));
            } catch (URISyntaxException e) {
                throw ProblemException.invalid(
                        "'" + field + "' (" + url + ") redirects to a bad URL: " + e.getMessage());
            }
            if (!("http".equalsIgnoreCase(target.getScheme()) || "https".equalsIgnoreCase(target.getScheme()))) {
                throw ProblemException.invalid(
                        "'" + field + "' (" + url + ") redirects to " + target + ", which is not an http or https URL");
            }
        }
    }

    /** Refuses (400) a target whose host is, or resolves to, a local address, unless those are allowed. */
    private void requireRemote(String field, String url, URI target) throws IOException {
        if (allowLocalAddresses) {
            return;
        }
        String host = target.getHost();
        if (host == null) {
            throw ProblemException.invalid("'" + field + "' (" + url + ") names no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw ProblemException.invalid("'" + field + "' (" + url + "): host " + host + " is not known");
        }
        Set<InetAddress> own = ownAddresses();
        for (InetAddress address : addresses) {
            localKind(address, own).ifPresent(kind -> {
                throw ProblemException.invalid("'" + field + "' (" + url + ") names " + address.getHostAddress() + ", "
                        + kind + ": builds do not download from loopback, link-local or this server's own addresses"
                        + " (an operator can allow it with PROVISIONER_FETCH_ALLOW_LOCAL_ADDRESSES=true)");
            });
        }
    }

    /** What kind of local address this is, if it is one. */
    static Optional<String> localKind(InetAddress address, Set<InetAddress> own) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            return Optional.of("an IPv4-compatible address");
        }
        if (own.contains(address)) {
            return Optional.of("an address of this server");
        }
        return Optional.empty();
    }

    private static Set<InetAddress> ownAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // without the list, loopback and link-local are still refused
        }
        return addresses;
    }

    public void copy(StoredFile file, Path target) throws IOException {
        try (InputStream in = store.open(file, 0)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyLimited(InputStream in, Path target, String field) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_BYTES) {
                    throw ProblemException.invalid(
                            "'" + field + "' is larger than the " + MAX_BYTES + " bytes a build input may have");
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
