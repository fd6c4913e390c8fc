/**
 * Kubernetes metadata from a container log file's name, as the kubelet lays them out, or from the Fluent Bit tag
 * made of it (`/` replaced by `.`, the tail input's `kube.*` tag):
 *
 * - `/var/log/containers/<pod>_<namespace>_<container>-<64 hex container id>.log`
 *   (tag `kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log`);
 * - `/var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restart>.log`
 *   (tag `kube.var.log.pods.<namespace>_<pod>_<pod uid>.<container>.<restart>.log`), which has no container id.
 *
 * Pod names may contain dots; no name contains `_`, which is what makes the split unambiguous.
 * @module
 */

/** What a file name tells, with Fluent Bit's field names. */
export interface ContainerFile {
  readonly namespace_name: string;
  readonly pod_name: string;
  readonly container_name: string;
  /** Container id without its runtime prefix (`/var/log/containers` names only). */
  readonly docker_id?: string;
  /** Pod UID (`/var/log/pods` names only). */
  readonly pod_id?: string;
}

const CONTAINER_FILE = /^([^_/]+)_([^_/]+)_([^_/]+)-([0-9a-f]{64})\.log$/;
const POD_FILE =
  /^([^_/]+)_([^_/]+)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})[/.]([^/.]+)[/.]\d+\.log$/;

/** @returns the metadata in a file path or tag, or undefined when it is neither layout. */
export function parseContainerFile(tag: string): ContainerFile | undefined {
  const pods = afterMarker(tag, ['/var/log/pods/', 'var.log.pods.']);
  if (pods !== undefined) {
    const match = POD_FILE.exec(pods);
    if (match === null) return undefined;
    const [, namespace, pod, uid, container] = match as unknown as [string, string, string, string, string];
    return { namespace_name: namespace, pod_name: pod, container_name: container, pod_id: uid };
  }
  const file =
    afterMarker(tag, ['/var/log/containers/', 'var.log.containers.']) ?? tag.slice(tag.lastIndexOf('/') + 1);
  const match = CONTAINER_FILE.exec(file);
  if (match === null) return undefined;
  const [, pod, namespace, container, id] = match as unknown as [string, string, string, string, string];
  return { namespace_name: namespace, pod_name: pod, container_name: container, docker_id: id };
}

function afterMarker(tag: string, markers: readonly string[]): string | undefined {
  for (const marker of markers) {
    const at = tag.indexOf(marker);
    if (at >= 0) return tag.slice(at + marker.length);
  }
  return undefined;
}

/** A container id without its runtime prefix: `containerd://abc…` → `abc…` (also `docker://`, `cri-o://`). */
export function bareContainerId(id: string): string {
  const at = id.indexOf('://');
  return at > 0 && at < 16 ? id.slice(at + 3) : id;
}
