package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import org.springframework.stereotype.Component;

/** Wakes followers of script runs when output or a result arrived (see {@link ChangeSignal}). */
@Component
class RunSignals extends ChangeSignal {}
