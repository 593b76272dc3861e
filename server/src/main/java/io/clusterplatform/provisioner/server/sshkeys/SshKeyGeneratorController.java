package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.core.sshkeys.SshKeyAlgorithm;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyPairs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original API's "Get new SSH key pair": {@code GET /api/sshkey?algorithm=ecdsa}. The pair is generated
 * in this process and stored nowhere; the answer must not be cached. ECDSA keys are on NIST P-256,
 * RSA keys have 3072 bits.
 */
@RestController
@RequestMapping("/api/sshkey")
@Tag(name = "sshkey", description = "Generates a fresh SSH key pair; nothing is stored")
class SshKeyGeneratorController {

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A new key pair {algorithm, publicKey, privateKey, fingerprint} in OpenSSH formats")
    ResponseEntity<SshKeyPairResponse> generate(
            @Parameter(description = "ecdsa (NIST P-256, the default), ed25519 or rsa (3072 bits)")
                    @RequestParam(required = false)
                    String algorithm) {
        SshKeyAlgorithm chosen =
                algorithm == null || algorithm.isBlank() ? SshKeyAlgorithm.ECDSA : SshKeyAlgorithm.parse(algorithm);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(SshKeyPairResponse.of(SshKeyPairs.generate(chosen)));
    }
}
