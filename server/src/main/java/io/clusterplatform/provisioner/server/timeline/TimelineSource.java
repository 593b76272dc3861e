package io.clusterplatform.provisioner.server.timeline;

import java.util.List;

/**
 * Something that has entries for hosts' boot timelines. Every bean of this type is asked, so a
 * feature adds its entries (script runs, say) by declaring a {@code @Component} that implements it,
 * without changing the timeline.
 */
@FunctionalInterface
public interface TimelineSource {
    /**
     * The newest entries about {@code host}, at most {@code limit} of them, in any order. Match on
     * what the host has ({@code nodeId}, {@code mac}, {@code ip}: any may be null); return an empty
     * list for a host you know nothing about.
     */
    List<TimelineEntry> entries(TimelineHost host, int limit);
}
