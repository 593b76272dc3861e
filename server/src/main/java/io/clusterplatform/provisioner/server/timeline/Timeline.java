package io.clusterplatform.provisioner.server.timeline;

import java.util.List;

/**
 * A host's boot timeline, oldest first.
 *
 * @param truncated true when older entries were left out to stay within {@link
 *     TimelineService#MAX_ENTRIES}
 */
public record Timeline(TimelineHost host, List<TimelineEntry> entries, boolean truncated) {}
