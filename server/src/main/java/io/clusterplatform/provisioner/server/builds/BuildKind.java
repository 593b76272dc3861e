package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import java.util.Map;

/**
 * One kind of artifact build ({@code /ipxes}, {@code /grubs}, {@code /syslinuxs}, {@code /isos}): how
 * its request is checked and how its files are made. The shared machinery ({@link BuildService},
 * {@link BuildJobHandler}, {@link BuildController}) does storage, queueing, progress and publication.
 *
 * @param <S> the request, stored as the build's spec
 */
public interface BuildKind<S> {

    ArtifactKind artifactKind();

    Class<S> specType();

    /**
     * The request the dashboard's form of this kind stands for ({@code form}: its fields by name, a
     * missing one as empty), before {@link #validate}. Throws a ProblemException for a value that is
     * not even of its type (a mainscript id that is not a number).
     */
    S fromForm(Map<String, String> form);

    /**
     * Checks a request and returns it in its stored form. Throws a ProblemException (400, or 404 for
     * an unknown SYSLINUX fragment) naming what is wrong; nothing is stored then.
     */
    S validate(S spec, BuildRequestContext request);

    /** The file a user most likely wants, e.g. {@code ipxe.efi} or {@code dist.iso}. */
    String primaryFile(S spec);

    /**
     * Makes the files into {@code staging}, reporting milestones below 90 on {@code job}; the caller
     * publishes them. Runs on a job worker, possibly again after a crash: write only into staging.
     */
    void build(S spec, ArtifactStaging staging, JobContext job) throws Exception;
}
