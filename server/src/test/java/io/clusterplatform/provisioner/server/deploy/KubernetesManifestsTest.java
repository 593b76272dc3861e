package io.clusterplatform.provisioner.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.distributor.DistributorAgentCommand;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes} (docs/DEPLOYMENT.md, "Kubernetes"). No cluster
 * runs here: each YAML document is read into fabric8's Kubernetes model classes, with no field the
 * model does not know, each kustomization is resolved as kustomize would (its resources and patches
 * exist, no file outside its root), and what the manifests say is checked against the application:
 * the probes answer 200 without a token on this real server, the ports, selectors and names line
 * up, every variable is one the application reads and the docs describe, every secret key an
 * overlay defines, and the images are the ones scripts/build-images.sh makes.
 */
class KubernetesManifestsTest extends ServerIntegrationTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final String VERSION = System.getProperty("provisioner.test.project.version", "");
    // Jackson 3, as the fabric8 model's annotations; unknown fields of a typed object fail the read.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final List<String> OVERLAYS = List.of("overlays/example", "overlays/cloudnative-pg");

    /** The documents of every manifest file (not the kustomization files), by file. */
    private static Map<Path, List<KubernetesResource>> documents() {
        Map<Path, List<KubernetesResource>> all = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(MANIFESTS)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (!file.getFileName().toString().equals("kustomization.yaml")) {
                    all.put(file, read(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private static List<KubernetesResource> read(Path file) {
        List<KubernetesResource> resources = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isMissingNode() || document.isNull()) {
                    continue;
                }
                KubernetesResource resource = YAML.treeToValue(document, KubernetesResource.class);
                assertThat(resource).as(file + ": a Kubernetes object").isNotNull();
                assertKnownFields(resource, file + " " + document.path("kind").asString());
                resources.add(resource);
            }
        }
        return resources;
    }

    /**
     * The model keeps fields it does not know in {@code additionalProperties} rather than refusing
     * them: a misspelt {@code readinesProbe} would pass a plain parse. None may be there.
     */
    private static void assertKnownFields(Object value, String where) {
        walk(value, where, new IdentityHashMap<>());
    }

    private static void walk(Object value, String where, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, where + "[" + i++ + "]", seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, where + "." + k, seen));
            return;
        }
        if (value instanceof GenericKubernetesResource
                || !value.getClass().getName().startsWith("io.fabric8.")) {
            return; // a custom resource has no schema here; leaves are strings, numbers, enums
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(where + ": " + getter, e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) child)
                        .as(where + " (" + value.getClass().getSimpleName()
                                + "): fields the Kubernetes API does not have")
                        .isNullOrEmpty();
            } else {
                walk(child, where + "." + getter.getName().substring(3), seen);
            }
        }
    }

    /** What {@code kustomize build dir} puts together: its resources' documents and its own, patched by name. */
    private static List<HasMetadata> build(Path dir) {
        Map<String, Object> kustomization = kustomization(dir);
        List<HasMetadata> built = new ArrayList<>();
        for (String resource : strings(kustomization, "resources")) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                assertThat(path.resolve("kustomization.yaml"))
                        .as(dir + ": resource " + resource)
                        .exists();
                built.addAll(build(path));
            } else {
                assertThat(path).as(dir + ": resource " + resource).exists();
                // kustomize's default load restrictor: a file resource must be in or below the root.
                assertThat(path.startsWith(dir))
                        .as(dir + ": " + resource + " is outside the kustomization's root")
                        .isTrue();
                read(path).forEach(r -> built.add((HasMetadata) r));
            }
        }
        for (Map<String, Object> patch : maps(kustomization, "patches")) {
            Path path = dir.resolve((String) patch.get("path")).normalize();
            assertThat(path.startsWith(dir) && Files.exists(path))
                    .as(dir + ": patch " + path)
                    .isTrue();
            HasMetadata patchDoc = (HasMetadata) read(path).getFirst();
            HasMetadata target =
                    find(built, patchDoc.getKind(), patchDoc.getMetadata().getName());
            if (patchDoc instanceof Deployment p && target instanceof Deployment t) {
                patchContainers(p, t, dir);
            } else {
                throw new AssertionError(dir + ": this test only knows patches of a Deployment's containers: " + path);
            }
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            built.forEach(r -> {
                if (!r.getKind().equals("Namespace")) {
                    r.getMetadata().setNamespace((String) namespace);
                }
            });
        }
        return built;
    }

    /** A strategic merge of containers by name, their {@code env} by variable name. */
    private static void patchContainers(Deployment patch, Deployment target, Path dir) {
        for (Container patched : patch.getSpec().getTemplate().getSpec().getContainers()) {
            Container into = target.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(patched.getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(dir + ": the patch names a container " + patched.getName()
                            + " the Deployment does not have"));
            for (EnvVar variable : patched.getEnv()) {
                into.getEnv().removeIf(e -> e.getName().equals(variable.getName()));
                into.getEnv().add(variable);
            }
        }
    }

    private static Map<String, Object> kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        Map<String, Object> kustomization = YAML.readValue(file.toFile(), new TypeReference<>() {});
        assertThat(kustomization)
                .as(file.toString())
                .containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1")
                .containsEntry("kind", "Kustomization");
        assertThat(kustomization.keySet())
                .as(file + ": fields this test (and kustomize) know")
                .isSubsetOf("apiVersion", "kind", "namespace", "labels", "resources", "patches");
        return kustomization;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> map, String key) {
        return (List<String>) map.getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T find(List<HasMetadata> resources, String kind, String name) {
        return (T) resources.stream()
                .filter(r ->
                        r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Container onlyContainer(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(deployment.getMetadata().getName()).hasSize(1);
        return containers.getFirst();
    }

    /** Every variable name the docs (README and docs/*.md) describe, as {@code `NAME`}. */
    private static Set<String> documentedVariables() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        Pattern variable = Pattern.compile("`([A-Z][A-Z0-9_]+)(=[^`]*)?`");
        for (Path doc : docs) {
            Matcher m = variable.matcher(Files.readString(doc));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The variables a container gets: its own and those of every ConfigMap it takes whole. */
    private static Set<String> variables(Container container, List<HasMetadata> resources) {
        Set<String> names = new LinkedHashSet<>();
        container.getEnvFrom().forEach(from -> {
            assertThat(from.getConfigMapRef())
                    .as(container.getName() + ": envFrom takes ConfigMaps only")
                    .isNotNull();
            ConfigMap map = find(resources, "ConfigMap", from.getConfigMapRef().getName());
            names.addAll(map.getData().keySet());
        });
        container.getEnv().forEach(e -> names.add(e.getName()));
        return names;
    }

    @Test
    void everyDocumentIsAKubernetesObjectWithNoUnknownField() {
        Map<Path, List<KubernetesResource>> documents = documents();
        assertThat(documents).isNotEmpty();
        documents.forEach((file, resources) -> {
            assertThat(resources).as(file.toString()).isNotEmpty();
            resources.forEach(r -> assertThat(r).as(file.toString()).isInstanceOf(HasMetadata.class));
        });
        // The only custom resource is the operator's database; everything else has a typed model.
        assertThat(documents.values().stream()
                        .flatMap(List::stream)
                        .filter(r -> r instanceof GenericKubernetesResource)
                        .map(r -> ((HasMetadata) r).getApiVersion() + " " + ((HasMetadata) r).getKind()))
                .containsOnly("postgresql.cnpg.io/v1 Cluster");
    }

    @Test
    void aMisspeltFieldIsCaught() throws IOException {
        Path file = Files.createTempFile("misspelt-", ".yaml");
        try {
            Files.writeString(
                    file,
                    Files.readString(MANIFESTS.resolve("base/server-deployment.yaml"))
                            .replace("readinessProbe:", "readinesProbe:"));
            assertThatThrownBy(() -> read(file))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("readinesProbe");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theOverlaysBuildAndEverySecretKeyTheyUseIsThere() {
        for (String overlay : OVERLAYS) {
            List<HasMetadata> built = build(MANIFESTS.resolve(overlay));
            Set<String> kinds = new LinkedHashSet<>();
            built.forEach(r -> kinds.add(r.getKind() + " " + r.getMetadata().getName()));
            assertThat(kinds)
                    .as(overlay)
                    .contains(
                            "Namespace provisioner",
                            "Deployment provisioner-server",
                            "Service provisioner-server",
                            "PodDisruptionBudget provisioner-server",
                            "Ingress provisioner-server",
                            "Deployment provisioner-distributor",
                            "Secret provisioner-server",
                            "Secret provisioner-distributor");
            built.stream()
                    .filter(r -> !r.getKind().equals("Namespace"))
                    .forEach(r -> assertThat(r.getMetadata().getNamespace())
                            .as(overlay + " " + r.getKind())
                            .isEqualTo("provisioner"));
            for (String name : List.of("provisioner-server", "provisioner-distributor")) {
                Deployment deployment = find(built, "Deployment", name);
                for (EnvVar variable : onlyContainer(deployment).getEnv()) {
                    if (variable.getValueFrom() == null) {
                        continue;
                    }
                    var ref = variable.getValueFrom().getSecretKeyRef();
                    assertThat(ref)
                            .as(overlay + " " + variable.getName() + ": from a Secret")
                            .isNotNull();
                    assertThat(secretKeys(built, ref.getName()))
                            .as(overlay + ": " + variable.getName() + " from the Secret " + ref.getName())
                            .contains(ref.getKey());
                }
            }
        }
    }

    /**
     * The keys of a Secret of the overlay, or of the one CloudNativePG makes for a Cluster of the
     * overlay ({@code <cluster>-app}, https://cloudnative-pg.io/documentation/current/applications/).
     */
    private static Set<String> secretKeys(List<HasMetadata> built, String name) {
        for (HasMetadata resource : built) {
            if (resource instanceof Secret secret
                    && secret.getMetadata().getName().equals(name)) {
                Set<String> keys = new LinkedHashSet<>();
                if (secret.getStringData() != null) {
                    keys.addAll(secret.getStringData().keySet());
                }
                if (secret.getData() != null) {
                    keys.addAll(secret.getData().keySet());
                }
                return keys;
            }
            if (resource instanceof GenericKubernetesResource cluster
                    && cluster.getKind().equals("Cluster")
                    && (cluster.getMetadata().getName() + "-app").equals(name)) {
                return Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass");
            }
        }
        throw new AssertionError("no Secret " + name);
    }

    @Test
    void theServerIsReplicatedAndProbedWhereTheApplicationAnswersWithoutAToken() {
        List<HasMetadata> base = build(MANIFESTS.resolve("base"));
        Deployment server = find(base, "Deployment", "provisioner-server");
        assertThat(server.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        Map<String, String> podLabels =
                server.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels)
                .containsAllEntriesOf(server.getSpec().getSelector().getMatchLabels());
        assertThat(server.getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .as("no replica taken away before its successor is ready")
                .isZero();

        Container container = onlyContainer(server);
        assertThat(container.getPorts()).hasSize(1);
        assertThat(container.getPorts().getFirst().getName()).isEqualTo("http");
        assertThat(container.getPorts().getFirst().getContainerPort()).isEqualTo(applicationPort());
        Probe readiness = container.getReadinessProbe();
        Probe liveness = container.getLivenessProbe();
        Probe startup = container.getStartupProbe();
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        for (Probe probe : List.of(readiness, liveness, startup)) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            // The kubelet sends no token: the application must answer the probe without one.
            var answer = api.get(probe.getHttpGet().getPath());
            assertThat(answer.status()).as(probe.getHttpGet().getPath()).isEqualTo(200);
            assertThat(answer.json().get("status").asText()).isEqualTo("UP");
        }
        assertThat(server.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("longer than a long poll (30 s)")
                .isGreaterThan(30L);

        // Non-root, as the image's user; the disk it writes is an emptyDir at the data directory.
        PodSpec pod = server.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        String dataDir = container.getEnv().stream()
                .filter(e -> e.getName().equals("PROVISIONER_DATA_DIR"))
                .findFirst()
                .orElseThrow()
                .getValue();
        Set<String> mounted = new LinkedHashSet<>();
        container.getVolumeMounts().forEach(m -> mounted.add(m.getMountPath()));
        assertThat(mounted).contains(dataDir, "/tmp");
        pod.getVolumes()
                .forEach(v -> assertThat(v.getEmptyDir()).as(v.getName()).isNotNull());

        Service service = find(base, "Service", "provisioner-server");
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort http = service.getSpec().getPorts().getFirst();
        assertThat(http.getTargetPort().getStrVal()).isEqualTo("http");
        PodDisruptionBudget pdb = find(base, "PodDisruptionBudget", "provisioner-server");
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal())
                .isLessThan(server.getSpec().getReplicas());
        Ingress ingress = find(base, "Ingress", "provisioner-server");
        IngressServiceBackend backend = ingress.getSpec()
                .getRules()
                .getFirst()
                .getHttp()
                .getPaths()
                .getFirst()
                .getBackend()
                .getService();
        assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
        assertThat(backend.getPort().getName()).isEqualTo(http.getName());
        assertThat(Integer.parseInt(
                        ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                .as("seconds; longer than a long poll (30 s)")
                .isGreaterThan(30);
    }

    /** The port the application listens on unless told otherwise (application.yml's server.port). */
    private static int applicationPort() {
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/application.yml")) {
            return YAML.readTree(Objects.requireNonNull(in)).at("/server/port").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyVariableIsOneTheApplicationReadsAndTheDocsDescribe() throws IOException {
        List<HasMetadata> base = build(MANIFESTS.resolve("base"));
        Set<String> documented = documentedVariables();
        Set<String> server = variables(onlyContainer(find(base, "Deployment", "provisioner-server")), base);
        assertThat(server)
                .contains(
                        "PROVISIONER_DATABASE_URL",
                        "PROVISIONER_DATABASE_USER",
                        "PROVISIONER_DATABASE_PASSWORD",
                        "PROVISIONER_BOOTSTRAP_TOKEN",
                        "PROVISIONER_ARTIFACT_STORE",
                        "AWS_ENDPOINT_URL_S3",
                        "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY",
                        "PROVISIONER_DATA_DIR");
        assertThat(documented).as("variables the docs describe").containsAll(server);

        // The distributor's are exactly those its command reads from the environment.
        Set<String> distributor = variables(onlyContainer(find(base, "Deployment", "provisioner-distributor")), base);
        Set<String> agentReads = new LinkedHashSet<>();
        Pattern env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
        for (var field : DistributorAgentCommand.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                Matcher m = env.matcher(option.defaultValue());
                while (m.find()) {
                    agentReads.add(m.group(1));
                }
            }
        }
        assertThat(agentReads).contains("PROVISIONER_URL", "PROVISIONER_ARTIFACT_ID", "PROVISIONER_DISTRIBUTOR_TOKEN");
        assertThat(agentReads).containsAll(distributor);
        assertThat(distributor).contains("PROVISIONER_URL", "PROVISIONER_ARTIFACT_ID", "PROVISIONER_DISTRIBUTOR_TOKEN");
        assertThat(documented).containsAll(distributor);
    }

    @Test
    void theDistributorUsesTheHostsNetworkWithNetAdminAndOneAtATime() {
        List<HasMetadata> base = build(MANIFESTS.resolve("base"));
        Deployment distributor = find(base, "Deployment", "provisioner-distributor");
        PodSpec pod = distributor.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(distributor.getSpec().getReplicas()).isEqualTo(1);
        assertThat(distributor.getSpec().getStrategy().getType())
                .as("two dnsmasq must never answer on one LAN")
                .isEqualTo("Recreate");
        assertThat(onlyContainer(distributor)
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .contains("NET_ADMIN", "NET_BIND_SERVICE", "NET_RAW");
        assertThat(pod.getNodeSelector()).containsKey("provisioner.clusterplatform.io/site");
    }

    @Test
    void theImagesAreTheOnesTheBuildMakes() throws IOException {
        assertThat(VERSION)
                .as("the Maven project's version (surefire passes it)")
                .isNotBlank();
        List<HasMetadata> base = build(MANIFESTS.resolve("base"));
        assertThat(onlyContainer(find(base, "Deployment", "provisioner-server")).getImage())
                .isEqualTo("localhost/provisioner-server:" + VERSION);
        assertThat(onlyContainer(find(base, "Deployment", "provisioner-distributor"))
                        .getImage())
                .isEqualTo("localhost/provisioner-distributor:" + VERSION);
        assertThat(Files.readString(ROOT.resolve("docs/DEPLOYMENT.md")))
                .contains("localhost/provisioner-server:" + VERSION, "localhost/provisioner-distributor:" + VERSION);
    }

    @Test
    void thePlaceholderSecretsAreRefusedRatherThanUsed() {
        for (String overlay : OVERLAYS) {
            Secret secret = find(build(MANIFESTS.resolve(overlay)), "Secret", "provisioner-server");
            String token = secret.getStringData().get("bootstrap-token");
            // A server started with the placeholder stops with a clear error instead of trusting a
            // token that is in this repository.
            assertThatThrownBy(() -> ApiTokens.requireWellFormed(token, "the bootstrap token"))
                    .as(overlay)
                    .hasMessageContaining("the bootstrap token must be");
        }
    }
}
