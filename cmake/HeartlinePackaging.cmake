# Debian packages with CPack: one .deb per install component (`./run package` writes them to dist/).
#   heartline-server       server/, installer/ (unit, /etc/heartline/heartline.ini), the sample config
#   heartline-twilio-sim   tools/twilio-sim/
#   heartline-agent        agent-app/, its launcher, icons, metainfo and opt-in autostart entry
#   heartline-supervisor   supervisor-app/, its launcher, icons and metainfo
# Library dependencies come from dpkg-shlibdeps; what is loaded at run time (Qt plugins, adduser for
# the service user) is named here. The version is the project's; `cpack -R VERSION` overrides it
# (scripts/package-test.sh builds an older one to upgrade from).

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME heartline)
set(CPACK_PACKAGE_VENDOR Heartline)
set(CPACK_PACKAGE_CONTACT "${HEARTLINE_PACKAGE_MAINTAINER}") # installer/CMakeLists.txt
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# CPack's own default summary, which tells CPackDeb (3.25) not to put the project's summary before each
# package's description: the first line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION is the package's synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server sim)
if(HEARTLINE_BUILD_GUI)
    list(APPEND CPACK_COMPONENTS_ALL agent supervisor)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Maintainer scripts 0755 and conffiles 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(debian ${PROJECT_SOURCE_DIR}/installer/debian)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME heartline-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# adduser: the service user (postinst); the SQLite driver is a Qt plugin, which shlibdeps cannot see.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${debian}/server/conffiles ${debian}/server/postinst ${debian}/server/prerm ${debian}/server/postrm)
string(CONCAT CPACK_DEBIAN_SERVER_DESCRIPTION
    "Heartline server: agent availability and call routing for Twilio\n"
    "Keeps every agent's status, heartbeats and readiness, answers Twilio's voice\n"
    "webhooks and offers each call to a ready agent. Runs as the systemd service\n"
    "heartline-server (user heartline, database in /var/lib/heartline, configuration\n"
    "in /etc/heartline/heartline.ini), with an admin CLI for users and agents.")

set(CPACK_DEBIAN_SIM_PACKAGE_NAME heartline-twilio-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_SIM_PACKAGE_DEPENDS "libqt6sql6-sqlite")
# Kamailio plays Twilio's SIP domain (--sip); without it the stand-in still does webhooks and REST.
set(CPACK_DEBIAN_SIM_PACKAGE_RECOMMENDS "kamailio, kamailio-sqlite-modules, kamailio-tls-modules")
string(CONCAT CPACK_DEBIAN_SIM_DESCRIPTION
    "Heartline's stand-in for Twilio, for trials and tests\n"
    "Emulates the parts of Twilio that Heartline uses (voice webhooks with\n"
    "signatures, the REST API, SIP domains through Kamailio) on one machine, so a\n"
    "Heartline server can take calls without a Twilio account.")

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME heartline-agent)
set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION comm)
# The X11 platform plugin (Wayland's is in qt6-wayland).
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_AGENT_PACKAGE_RECOMMENDS "qt6-wayland")
string(CONCAT CPACK_DEBIAN_AGENT_DESCRIPTION
    "Heartline agent app: take calls and show whether you are ready\n"
    "Signs in to a Heartline server, keeps the agent's status, checks headset, voice\n"
    "connection and network, and rings when a call is routed to the agent.")

set(CPACK_DEBIAN_SUPERVISOR_PACKAGE_NAME heartline-supervisor)
set(CPACK_DEBIAN_SUPERVISOR_PACKAGE_SECTION comm)
set(CPACK_DEBIAN_SUPERVISOR_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_SUPERVISOR_PACKAGE_RECOMMENDS "qt6-wayland")
string(CONCAT CPACK_DEBIAN_SUPERVISOR_DESCRIPTION
    "Heartline supervisor dashboard\n"
    "Shows every agent of a Heartline server live: status, readiness and the checks\n"
    "behind it, calls, queues and service level.")

include(CPack)
