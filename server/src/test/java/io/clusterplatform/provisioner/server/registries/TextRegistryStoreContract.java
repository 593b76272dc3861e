package io.clusterplatform.provisioner.server.registries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.testing.Clocks;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What {@link TextRegistryStore} promises, on every backend: each subclass only names the backend.
 * Every test starts from empty registries.
 */
abstract class TextRegistryStoreContract {
    private static final TextRegistry REGISTRY = TextRegistry.MAINSCRIPTS;

    private TextRegistryStore store;

    @BeforeEach
    void emptyRegistries(StandaloneServer server) {
        store = server.bean(TextRegistryStore.class);
        JdbcClient jdbc = server.bean(JdbcClient.class);
        for (TextRegistry registry : TextRegistry.values()) {
            jdbc.sql("DELETE FROM " + registry.path()).update();
        }
    }

    @ParameterizedTest
    @EnumSource(TextRegistry.class)
    void createsAnEntryAndReadsItBack(TextRegistry registry) {
        TextEntry created = store.create(registry, "menu", "#!ipxe\nchain http://boot/next\n");

        TextEntry read = store.get(registry, created.id());

        assertThat(read).isEqualTo(created);
        assertThat(read.name()).isEqualTo("menu");
        assertThat(read.text()).isEqualTo("#!ipxe\nchain http://boot/next\n");
        assertThat(read.createdAt()).isNotNull().isEqualTo(read.updatedAt());
        assertThat(read.createdAt()).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
    }

    @Test
    void keepsTextByteForByte() {
        String text = "#!ipxe\r\n"
                + "echo Grüße aus Schwaben — 雪 🚀\r\n"
                + "\tset path C:\\boot\\%20_x  \n"
                + "'quotes' \"double\" `back` $HOME ${var}\n"
                + "\n\n";

        TextEntry created = store.create(REGISTRY, null, text);

        assertThat(store.get(REGISTRY, created.id()).text()).isEqualTo(text);
        assertThat(store.get(REGISTRY, created.id()).name()).isNull();
    }

    @Test
    void keepsLongTexts() {
        String text = "x".repeat(300_000) + "\n";

        TextEntry created = store.create(REGISTRY, null, text);

        assertThat(store.get(REGISTRY, created.id()).text()).isEqualTo(text);
    }

    @Test
    void refusesTextWithANulCharacterOnEveryBackend() {
        assertThatThrownBy(() -> store.create(REGISTRY, null, "before\u0000after"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).contains("NUL");
                });
        TextEntry stored = store.create(REGISTRY, "kept", "fine");
        assertThatThrownBy(() -> store.replace(REGISTRY, stored.id(), "kept", "still\u0000bad"))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> store.create(REGISTRY, "na\u0000me", "fine")).isInstanceOf(ProblemException.class);

        assertThat(store.list(REGISTRY, query(null, null, null, null, null)).rows())
                .singleElement()
                .satisfies(entry -> assertThat(entry.text()).isEqualTo("fine"));
    }

    @Test
    void replaceChangesNameTextAndUpdatedAtButNotCreatedAt() {
        TextEntry created = store.create(REGISTRY, "old", "old text");
        Clocks.awaitPast(created.updatedAt());

        TextEntry replaced = store.replace(REGISTRY, created.id(), "new", "new text\r\n");

        assertThat(replaced.id()).isEqualTo(created.id());
        assertThat(replaced.name()).isEqualTo("new");
        assertThat(replaced.text()).isEqualTo("new text\r\n");
        assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
        assertThat(replaced.updatedAt()).isAfter(created.updatedAt());
        assertThat(store.get(REGISTRY, created.id())).isEqualTo(replaced);
    }

    @Test
    void deleteRemovesTheEntry() {
        TextEntry kept = store.create(REGISTRY, null, "kept");
        TextEntry deleted = store.create(REGISTRY, null, "deleted");

        store.delete(REGISTRY, deleted.id());

        assertThat(store.find(REGISTRY, deleted.id())).isEmpty();
        assertThat(store.find(REGISTRY, kept.id())).isPresent();
        assertNotFound(() -> store.delete(REGISTRY, deleted.id()));
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThat(store.find(REGISTRY, 424242)).isEmpty();
        assertNotFound(() -> store.get(REGISTRY, 424242));
        assertNotFound(() -> store.replace(REGISTRY, 424242, null, "text"));
        assertNotFound(() -> store.delete(REGISTRY, 424242));
    }

    @Test
    void eachRegistryHasItsOwnIds() {
        TextEntry firstMain = store.create(TextRegistry.MAINSCRIPTS, null, "main 1");
        TextEntry sub = store.create(TextRegistry.SUBSCRIPTS, null, "sub 1");
        TextEntry secondMain = store.create(TextRegistry.MAINSCRIPTS, null, "main 2");

        assertThat(secondMain.id()).isEqualTo(firstMain.id() + 1);
        assertThat(store.find(TextRegistry.SUBSCRIPTS, firstMain.id()).map(TextEntry::text))
                .isEmpty();
        assertThat(store.find(TextRegistry.SUBSCRIPTS, sub.id()).map(TextEntry::text))
                .contains("sub 1");
        assertThat(store.list(TextRegistry.KICKSTARTS, query(null, null, null, null, null))
                        .total())
                .isZero();
    }

    @Test
    void searchIgnoresCase() {
        store.create(REGISTRY, "Debian menu", "kernel DEBIAN/linux");
        store.create(REGISTRY, "fedora", "kernel debian-installer");
        store.create(REGISTRY, "fedora", "kernel fedora");

        Page<TextEntry> found = store.list(REGISTRY, query("dEbIaN", null, null, null, null));

        assertThat(texts(found)).containsExactly("kernel DEBIAN/linux", "kernel debian-installer");
        assertThat(found.total()).isEqualTo(2);
    }

    @Test
    void searchTreatsPercentUnderscoreAndBackslashLiterally() {
        store.create(REGISTRY, null, "100% done");
        store.create(REGISTRY, null, "1000 done");
        store.create(REGISTRY, null, "set a_b");
        store.create(REGISTRY, null, "set axb");
        store.create(REGISTRY, null, "path C:\\boot");
        store.create(REGISTRY, null, "path C:boot");

        assertThat(texts(store.list(REGISTRY, query("%", null, null, null, null))))
                .containsExactly("100% done");
        assertThat(texts(store.list(REGISTRY, query("0% d", null, null, null, null))))
                .containsExactly("100% done");
        assertThat(texts(store.list(REGISTRY, query("a_b", null, null, null, null))))
                .containsExactly("set a_b");
        assertThat(texts(store.list(REGISTRY, query("_", null, null, null, null))))
                .containsExactly("set a_b");
        assertThat(texts(store.list(REGISTRY, query(":\\b", null, null, null, null))))
                .containsExactly("path C:\\boot");
    }

    @Test
    void refusesToSearchForANulCharacterOnEveryBackend() {
        store.create(REGISTRY, null, "text");

        assertThatThrownBy(() -> store.list(REGISTRY, query("te\u0000xt", null, null, null, null)))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void searchLooksOnlyInTheChosenFields() {
        store.create(REGISTRY, "alpha", "text of one");
        store.create(REGISTRY, "beta", "alpha in the text");

        assertThat(texts(store.list(REGISTRY, query("alpha", "name", null, null, null))))
                .containsExactly("text of one");
        assertThat(texts(store.list(REGISTRY, query("alpha", "text", null, null, null))))
                .containsExactly("alpha in the text");
        assertThat(texts(store.list(REGISTRY, query("alpha", "name,text", null, null, null))))
                .hasSize(2);
        assertThat(texts(store.list(REGISTRY, query("alpha", null, null, null, null))))
                .hasSize(2);
    }

    @Test
    void sortsByUpdatedAtDescending() {
        TextEntry first = store.create(REGISTRY, null, "first");
        Clocks.awaitPast(first.updatedAt());
        TextEntry second = store.create(REGISTRY, null, "second");
        Clocks.awaitPast(second.updatedAt());
        TextEntry third = store.create(REGISTRY, null, "third");
        Clocks.awaitPast(third.updatedAt());
        store.replace(REGISTRY, first.id(), null, "first, edited last");

        assertThat(texts(store.list(REGISTRY, query(null, null, null, null, "-updatedAt"))))
                .containsExactly("first, edited last", "third", "second");
        assertThat(texts(store.list(REGISTRY, query(null, null, null, null, "updatedAt"))))
                .containsExactly("second", "third", "first, edited last");
    }

    @Test
    void sortsByNameWithMissingNamesLastAndThenById() {
        store.create(REGISTRY, "bravo", "b");
        store.create(REGISTRY, null, "no name");
        store.create(REGISTRY, "alpha", "a1");
        store.create(REGISTRY, "alpha", "a2");

        assertThat(texts(store.list(REGISTRY, query(null, null, null, null, "name"))))
                .containsExactly("a1", "a2", "b", "no name");
        assertThat(texts(store.list(REGISTRY, query(null, null, null, null, "-name"))))
                .containsExactly("no name", "b", "a1", "a2");
        assertThat(texts(store.list(REGISTRY, query(null, null, null, null, "text"))))
                .containsExactly("a1", "a2", "b", "no name");
    }

    @Test
    void pagesThroughEntriesWithTotals() {
        IntStream.rangeClosed(1, 25).forEach(i -> store.create(REGISTRY, null, "entry %02d".formatted(i)));

        Page<TextEntry> first = store.list(REGISTRY, query(null, null, 1, 10, null));
        Page<TextEntry> last = store.list(REGISTRY, query(null, null, 3, 10, null));
        Page<TextEntry> beyond = store.list(REGISTRY, query(null, null, 4, 10, null));

        assertThat(texts(first)).hasSize(10).first().isEqualTo("entry 01");
        assertThat(texts(last)).containsExactly("entry 21", "entry 22", "entry 23", "entry 24", "entry 25");
        assertThat(beyond.rows()).isEmpty();
        for (Page<TextEntry> page : List.of(first, last, beyond)) {
            assertThat(page.total()).isEqualTo(25);
            assertThat(page.totalPages()).isEqualTo(3);
            assertThat(page.pageSize()).isEqualTo(10);
        }
        assertThat(last.page()).isEqualTo(3);
    }

    @Test
    void pageSizeLimitsRowsAndIsCapped() {
        IntStream.rangeClosed(1, 12).forEach(i -> store.create(REGISTRY, null, "entry " + i));

        assertThat(store.list(REGISTRY, query(null, null, null, null, null)).rows())
                .hasSize(10);
        assertThat(store.list(REGISTRY, query(null, null, null, 5, null)).rows())
                .hasSize(5);
        assertThat(store.list(REGISTRY, query(null, null, null, 100, null)).rows())
                .hasSize(12);
        assertThat(store.list(REGISTRY, query(null, null, 1, 1, null)).totalPages())
                .isEqualTo(12);
        assertThatThrownBy(() -> store.list(REGISTRY, query(null, null, null, 101, null)))
                .isInstanceOf(ProblemException.class);
        assertThat(store.list(REGISTRY, query("entry 1", null, null, 2, null))).satisfies(page -> {
            assertThat(page.total()).isEqualTo(4); // entry 1, 10, 11, 12
            assertThat(page.totalPages()).isEqualTo(2);
        });
    }

    @Test
    void anEmptyRegistryListsNoPages() {
        Page<TextEntry> page = store.list(REGISTRY, query(null, null, null, null, null));

        assertThat(page.rows()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.totalPages()).isZero();
    }

    private static ListRequest query(String search, String searchFields, Integer page, Integer pageSize, String sort) {
        return new ListRequest(search, searchFields, page, pageSize, sort);
    }

    private static List<String> texts(Page<TextEntry> page) {
        return page.rows().stream().map(TextEntry::text).toList();
    }

    private static void assertNotFound(ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
