#!/usr/bin/env bash
# Builds the Debian packages fleet-agent, fleet-controller, fleet-proxy and fleetctl (amd64) from a
# self-contained linux-x64 publish: they need no .NET runtime on the target host.
# Output: artifacts/packages/*.deb. The runtime packs come from NuGet like any package; once they
# are in the NuGet cache the build works offline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/common.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rid=linux-x64
arch=amd64
out=$PWD/artifacts/packages
version=$(dotnet msbuild src/Core/Core.csproj -getProperty:Version)
work=$(mktemp -d "${TMPDIR:-/tmp}/fleet-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Shared libraries a self-contained .NET app loads (TLS through OpenSSL; no ICU: invariant
# globalization).
runtime_depends="libc6, libgcc-s1, libstdc++6, libssl3, zlib1g, ca-certificates"

# publish PROJECT ROOT : publishes src/PROJECT self-contained into ROOT/usr/lib/fleet/<dir>.
publish() {
    local project=$1 dest=$2
    info "publishing src/$project"
    dotnet publish "src/$project" -c Release -r "$rid" --self-contained \
        -p:DebugType=none -p:SatelliteResourceLanguages=en -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false -nologo -v quiet -clp:ErrorsOnly \
        -o "$dest" >"$work/publish-$project.log" 2>&1 ||
        { cat "$work/publish-$project.log" >&2; die "dotnet publish src/$project failed"; }
    # Some runtime files arrive from the NuGet cache as 0744.
    chmod -R u+rwX,go+rX,go-w "$dest"
}

# control PACKAGE DEPENDS DESCRIPTION [EXTRA FIELDS] : writes DEBIAN/control of the package.
control() {
    local package=$1 depends=$2 description=$3 extra=${4:-}
    mkdir -p "$work/$package/DEBIAN"
    {
        echo "Package: $package"
        echo "Version: $version"
        echo "Architecture: $arch"
        echo "Maintainer: Fleet maintainers <fleet@localhost>"
        echo "Section: admin"
        echo "Priority: optional"
        echo "Depends: $depends"
        [[ -z $extra ]] || echo "$extra"
        echo "Installed-Size: $(du -sk --exclude=DEBIAN "$work/$package" | cut -f1)"
        echo "Description: $description"
    } >"$work/$package/DEBIAN/control"
}

# service_package PACKAGE USER EXTRA_GROUP DESCRIPTION [EXTRA FIELDS] : a daemon package with its
# systemd unit, /etc/default file, system user and 0700 state folder.
service_package() {
    local package=$1 user=$2 group=$3 description=$4 extra=${5:-}
    local root=$work/$package
    install -D -m 0644 "systemd/$package.service" "$root/lib/systemd/system/$package.service"
    install -D -m 0644 "packaging/default/$package" "$root/etc/default/$package"
    install -D -m 0644 README.md "$root/usr/share/doc/$package/README.md"
    # adduser: the maintainer scripts create the service user.
    control "$package" "$runtime_depends, adduser" "$description" "$extra"
    echo "/etc/default/$package" >"$root/DEBIAN/conffiles"
    cat >"$root/DEBIAN/postinst" <<POSTINST
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
    if ! getent passwd $user >/dev/null; then
        adduser --system --group --home /var/lib/$package \\
            --gecos "Fleet $package" $user >/dev/null
    fi
$(if [[ -n $group ]]; then cat <<GROUP
    getent group $group >/dev/null || addgroup --system $group >/dev/null
    adduser $user $group >/dev/null
GROUP
fi)
    install -d -m 0700 -o $user -g $user /var/lib/$package
    # May hold credentials (a database password).
    chown root:$user /etc/default/$package
    chmod 0640 /etc/default/$package
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
    fi
    echo "$package installed; see /usr/share/doc/$package/README.md, then: systemctl enable --now $package"
fi
POSTINST
    cat >"$root/DEBIAN/prerm" <<PRERM
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "\$1" = remove ]; then
    systemctl disable --now $package.service >/dev/null 2>&1 || true
fi
PRERM
    chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
}

# link PACKAGE TARGET NAME : /usr/bin/NAME -> TARGET.
link() {
    mkdir -p "$work/$1/usr/bin"
    ln -s "$2" "$work/$1/usr/bin/$3"
}

step "Publishing fleet $version ($rid, self-contained)"
publish Agent "$work/fleet-agent/usr/lib/fleet/agent"
publish Controller "$work/fleet-controller/usr/lib/fleet/controller"
publish Cli "$work/fleetctl/usr/lib/fleet/cli"
publish Proxy "$work/fleet-proxy/usr/lib/fleet/proxy"

step "Building packages"
link fleet-agent /usr/lib/fleet/agent/fleet-agent fleet-agent
service_package fleet-agent fleet-agent docker "Fleet agent: deploys containers and reports health" \
    "Recommends: docker.io"
service_package fleet-controller fleet-controller "" "Fleet controller: gRPC API for agents and fleetctl" \
    "Recommends: postgresql"
# Its sockets (public ports, admin socket for the agent) are systemd's, held across restarts.
for socket in fleet-proxy.socket fleet-proxy-admin.socket; do
    install -D -m 0644 "systemd/$socket" "$work/fleet-proxy/lib/systemd/system/$socket"
done
service_package fleet-proxy fleet-proxy "" "Fleet proxy: routes each host's public ports to the apps' active slots"
link fleetctl /usr/lib/fleet/cli/fleetctl fleetctl
install -D -m 0644 README.md "$work/fleetctl/usr/share/doc/fleetctl/README.md"
control fleetctl "$runtime_depends" "Fleet operator CLI"

mkdir -p "$out"
for package in fleet-agent fleet-controller fleet-proxy fleetctl; do
    dpkg-deb --root-owner-group -Zxz --build "$work/$package" "$out/${package}_${version}_$arch.deb" >/dev/null
    info "$out/${package}_${version}_$arch.deb"
done
