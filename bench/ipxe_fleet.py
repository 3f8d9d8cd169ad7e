"""IPXEBootConfig manifests for the benches: a fleet of `count` machines with random UUIDs."""
import uuid

# The status a running fleet has (observedGeneration 1: a created object): what the ipxebootconfig
# controller writes for a config without ignitionSecretRef, and what the service writes after the
# first delivery. Neither then writes anything more.
READY_STATUS = ("status:\n  state: Ready\n  conditions:\n"
                "  - type: IgnitionSecretReady\n    status: \"True\"\n    reason: NoIgnitionSecretRef\n"
                "    message: No ignitionSecretRef is set.\n"
                "    observedGeneration: 1\n    lastTransitionTime: \"2025-01-01T00:00:00Z\"\n"
                "  - type: IPXEScriptFetched\n    status: \"True\"\n"
                "    reason: IPXEScriptDelivered\n"
                "    message: IPXE script has been successfully delivered to the client.\n"
                "    observedGeneration: 1\n    lastTransitionTime: \"2025-01-01T00:00:00Z\"\n")


def write_fleet(count, manifest, uuid_file, url_sets, status, rng):
    """Machine i boots url_sets[i % len(url_sets)] (kernel, initrd, squashfs); its UUID goes to uuid_file."""
    with open(manifest, "w") as out, open(uuid_file, "w") as ids:
        for i in range(count):
            system_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            urls = url_sets[i % len(url_sets)]
            ids.write(system_uuid + "\n")
            out.write("---\napiVersion: boot.ironcore.dev/v1alpha1\nkind: IPXEBootConfig\n"
                      "metadata:\n  name: bench-%05d\n  namespace: default\n"
                      "spec:\n  systemUUID: %s\n  kernelURL: %s\n  initrdURL: %s\n  squashfsURL: %s\n"
                      % (i, system_uuid, urls["kernel"], urls["initrd"], urls["squashfs"]) + status)
