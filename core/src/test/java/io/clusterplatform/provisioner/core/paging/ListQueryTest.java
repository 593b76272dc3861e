package io.clusterplatform.provisioner.core.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListQueryTest {
    private static final Set<String> FIELDS = Set.of("id", "name", "artifactId");

    private static ListQuery parse(String search, String searchFields, Integer page, Integer pageSize, String sort) {
        return ListQuery.parse(search, searchFields, page, pageSize, sort, FIELDS, List.of("name"), "id");
    }

    @Test
    void defaultsToFirstPageOfTenSortedById() {
        ListQuery query = parse(null, null, null, null, null);
        assertThat(query.page()).isEqualTo(1);
        assertThat(query.pageSize()).isEqualTo(10);
        assertThat(query.offset()).isZero();
        assertThat(query.sort()).containsExactly(new ListQuery.SortOrder("id", false));
        assertThat(query.searchFields()).containsExactly("name");
        assertThat(query.hasSearch()).isFalse();
    }

    @Test
    void parsesSeveralSortFieldsWithDirections() {
        ListQuery query = parse(null, null, 3, 20, "-artifactId, name +id");
        assertThat(query.sort())
                .containsExactly(
                        new ListQuery.SortOrder("artifactId", true),
                        new ListQuery.SortOrder("name", false),
                        new ListQuery.SortOrder("id", false));
        assertThat(query.offset()).isEqualTo(40);
    }

    @Test
    void takesSearchFieldsAsTheOriginalSendsThem() {
        ListQuery query = parse("felicitas.pojtinger.swabia.sol", "artifactId", null, null, null);
        assertThat(query.searchFields()).containsExactly("artifactId");
        assertThat(query.hasSearch()).isTrue();
    }

    @Test
    void rejectsUnknownFieldsNamingTheKnownOnes() {
        assertThatThrownBy(() -> parse(null, "password", null, null, null))
                .isInstanceOf(ProblemException.class)
                .hasMessage("searchFields names unknown field 'password'; known fields: artifactId, id, name");
        assertThatThrownBy(() -> parse(null, null, null, null, "-secret"))
                .hasMessageContaining("sort names unknown field 'secret'");
    }

    @Test
    void rejectsValuesThatNameNoField() {
        assertThatThrownBy(() -> parse(null, null, null, null, ","))
                .isInstanceOf(ProblemException.class)
                .hasMessage("sort names no field (got ','); known fields: artifactId, id, name");
        assertThatThrownBy(() -> parse("x", ", ,", null, null, null))
                .hasMessage("searchFields names no field (got ', ,'); known fields: artifactId, id, name");
        assertThatThrownBy(() -> parse(null, null, null, null, "-")).hasMessageContaining("unknown field ''");
    }

    @Test
    void skipsEmptyElementsBetweenNames() {
        assertThat(parse(null, "name,,id", null, null, "name,,-id").sort())
                .containsExactly(new ListQuery.SortOrder("name", false), new ListQuery.SortOrder("id", true));
        assertThat(parse(null, "name,,id", null, null, null).searchFields()).containsExactly("name", "id");
        assertThat(parse(null, " ", null, null, " ").sort()).containsExactly(new ListQuery.SortOrder("id", false));
    }

    @Test
    void rejectsPagesOutOfRange() {
        assertThatThrownBy(() -> parse(null, null, 0, null, null)).hasMessage("page must be 1 or more, got 0");
        assertThatThrownBy(() -> parse(null, null, null, 0, null)).hasMessageContaining("between 1 and 100");
        assertThatThrownBy(() -> parse(null, null, null, 101, null)).hasMessageContaining("got 101");
    }

    @Test
    void pageCountsRoundUp() {
        ListQuery query = parse(null, null, 2, 10, null);
        Page<String> page = Page.of(List.of("a"), 21, query);
        assertThat(page.totalPages()).isEqualTo(3);
        assertThat(Page.of(List.of(), 0, query).totalPages()).isZero();
        assertThat(Page.of(List.of(), 20, query).totalPages()).isEqualTo(2);
    }
}
