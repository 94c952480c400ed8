# flowaudit firewall export --format windows
# site file: fixtures/products/sccm-2007/site.yaml
# catalogs: sccm-2007
# 76 allow rules from 116 catalog rules; 77 rules or follow-ons not exported (listed at the end)
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# sccm.client-to-dp-http: Client to distribution point, BITS over HTTP/HTTPS
#   sccm.client -> sccm.distribution-point, tcp 80,443
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-dp-http' -DisplayName 'flowaudit sccm.client-to-dp-http: Client to distribution point, BITS over HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]' | Out-Null

# sccm.client-to-dp-multicast: Client to multicast distribution point
#   sccm.client -> sccm.distribution-point, udp 63000-64000
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, Multicast Protocol, UDP 63000-64000
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-dp-multicast' -DisplayName 'flowaudit sccm.client-to-dp-multicast: Client to multicast distribution point' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '63000-64000' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, Multicast Protocol, UDP 63000-64000' | Out-Null

# sccm.client-to-dp-smb: Client to distribution point, SMB
#   sccm.client -> sccm.distribution-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, SMB, TCP 445
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-dp-smb' -DisplayName 'flowaudit sccm.client-to-dp-smb: Client to distribution point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, SMB, TCP 445' | Out-Null

# sccm.client-to-mp: Client to management point, HTTP/HTTPS
#   sccm.client -> sccm.management-point, tcp 80,443
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Management point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-mp' -DisplayName 'flowaudit sccm.client-to-mp: Client to management point, HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443' -LocalAddress '10.0.0.21' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Management point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]' | Out-Null

# sccm.client-to-pxe-binl: Client to PXE service point, BINL
#   sccm.client -> sccm.pxe-service-point, udp 4011
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Boot Information Negotiation Layer (BINL), UDP 4011
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-pxe-binl' -DisplayName 'flowaudit sccm.client-to-pxe-binl: Client to PXE service point, BINL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '4011' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Boot Information Negotiation Layer (BINL), UDP 4011' | Out-Null

# sccm.client-to-pxe-dhcp: Client to PXE service point, DHCP
#   sccm.client -> broadcast+sccm.pxe-service-point, udp 67-68
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-pxe-dhcp' -DisplayName 'flowaudit sccm.client-to-pxe-dhcp: Client to PXE service point, DHCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67-68' -LocalAddress '10.20.0.5','255.255.255.255' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68' | Out-Null

# sccm.client-to-pxe-tftp: Client to PXE service point, TFTP
#   sccm.client -> sccm.pxe-service-point, udp 69
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Trivial File Transfer Protocol (TFTP), UDP 69 [6]
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-pxe-tftp' -DisplayName 'flowaudit sccm.client-to-pxe-tftp: Client to PXE service point, TFTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '69' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Trivial File Transfer Protocol (TFTP), UDP 69 [6]' | Out-Null

# sccm.pxe-tftp-data: TFTP transfer from the server's dynamic high port
#   sccm.pxe-service-point -> sccm.client, udp 1024-65535 (follows sccm.client-to-pxe-tftp)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Trivial File Transfer Protocol (TFTP), UDP 69 [6]
#   note: TFTP transfer from the server's dynamic high port: the tftp conntrack helper on sccm.client-to-pxe-tftp makes these connections related (nftables, iptables; Cisco ASA: inspect tftp); Windows Firewall opens udp 1024-65535
# Windows Firewall has no tftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-sccm.pxe-tftp-data' -DisplayName 'flowaudit sccm.pxe-tftp-data: TFTP transfer from the server''s dynamic high port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1024-65535' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Trivial File Transfer Protocol (TFTP), UDP 69 [6]' | Out-Null

# sccm.client-to-shv-dhcp: Client to System Health Validator, DHCP (NAP)
#   sccm.client -> broadcast+sccm.system-health-validator, udp 67-68
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> [7] System Heath Validator, DHCP, UDP 67, 68
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-shv-dhcp' -DisplayName 'flowaudit sccm.client-to-shv-dhcp: Client to System Health Validator, DHCP (NAP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67-68' -LocalAddress '255.255.255.255' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> [7] System Heath Validator, DHCP, UDP 67, 68' | Out-Null

# sccm.client-to-sup: Client to software update point, WSUS HTTP/HTTPS
#   sccm.client -> sccm.software-update-point, tcp 80,443,8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-sup' -DisplayName 'flowaudit sccm.client-to-sup: Client to software update point, WSUS HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443','8530-8531' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.csrh-sql: Client status reporting host to SQL Server, SQL Server
#   sccm.client-status-reporting-host -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (set sql_port to the instance port)
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-sql' -DisplayName 'flowaudit sccm.csrh-sql: Client status reporting host to SQL Server, SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (set sql_port to the instance port)' | Out-Null

# sccm.csrh-to-client-ping: Client status reporting host to client, ICMP echo
#   sccm.client-status-reporting-host -> sccm.client, icmp type 8
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, ICMPV4 Type 8 (echo) or ICMPV6 Type 128 (echo request)
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-client-ping' -DisplayName 'flowaudit sccm.csrh-to-client-ping: Client status reporting host to client, ICMP echo' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol ICMPv4 -IcmpType '8' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, ICMPV4 Type 8 (echo) or ICMPV6 Type 128 (echo request)' | Out-Null

# sccm.csrh-to-client-rpc: Client status reporting host to client, RPC endpoint mapper
#   sccm.client-status-reporting-host -> sccm.client, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135, TCP 135; Client status reporting host -> Client, RPC, TCP DYNAMIC
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-client-rpc' -DisplayName 'flowaudit sccm.csrh-to-client-rpc: Client status reporting host to client, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135, TCP 135; Client status reporting host -> Client, RPC, TCP DYNAMIC' | Out-Null

# sccm.csrh-to-client-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.client-status-reporting-host -> sccm.client, tcp 1025-5000,49152-65535 (follows sccm.csrh-to-client-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135, TCP 135; Client status reporting host -> Client, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-client-rpc-dynamic' -DisplayName 'flowaudit sccm.csrh-to-client-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135, TCP 135; Client status reporting host -> Client, RPC, TCP DYNAMIC' | Out-Null

# sccm.csrh-to-client-rpc-udp: Client status reporting host to client, RPC endpoint mapper (UDP)
#   sccm.client-status-reporting-host -> sccm.client, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-client-rpc-udp' -DisplayName 'flowaudit sccm.csrh-to-client-rpc-udp: Client status reporting host to client, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Client, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.csrh-to-mp-netbios: Client status reporting host to management point, NetBIOS session
#   sccm.client-status-reporting-host -> sccm.management-point, tcp 139
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Management point, NetBIOS Session Service, TCP 139
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-mp-netbios' -DisplayName 'flowaudit sccm.csrh-to-mp-netbios: Client status reporting host to management point, NetBIOS session' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '139' -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Management point, NetBIOS Session Service, TCP 139' | Out-Null

# sccm.csrh-to-mp-smb: Client status reporting host to management point, SMB
#   sccm.client-status-reporting-host -> sccm.management-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Management point, SMB, TCP 445
New-NetFirewallRule -Name 'flowaudit-sccm.csrh-to-mp-smb' -DisplayName 'flowaudit sccm.csrh-to-mp-smb: Client status reporting host to management point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.26' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client status reporting host -> Management point, SMB, TCP 445' | Out-Null

# sccm.dp-multicast-stream: Multicast distribution point to its multicast group
#   sccm.distribution-point -> multicast, udp 63000-64000
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, Multicast Protocol, UDP 63000-64000 (the data stream goes to a multicast group)
#   note: multicast: 224.0.0.0/4 and ff00::/8; crosses a router only where multicast routing is enabled
New-NetFirewallRule -Name 'flowaudit-sccm.dp-multicast-stream' -DisplayName 'flowaudit sccm.dp-multicast-stream: Multicast distribution point to its multicast group' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '63000-64000' -LocalAddress '224.0.0.0/4','ff00::/8' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Distribution point, Multicast Protocol, UDP 63000-64000 (the data stream goes to a multicast group)' | Out-Null

# sccm.mcdp-sql: Multicast distribution point to SQL Server, SQL Server
#   sccm.distribution-point -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Multicast distribution point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (set sql_port to the instance port)
New-NetFirewallRule -Name 'flowaudit-sccm.mcdp-sql' -DisplayName 'flowaudit sccm.mcdp-sql: Multicast distribution point to SQL Server, SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Multicast distribution point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (set sql_port to the instance port)' | Out-Null

# sccm.mp-sql: Management point to SQL Server, SQL Server
#   sccm.management-point -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql' -DisplayName 'flowaudit sccm.mp-sql: Management point to SQL Server, SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)' | Out-Null

# sccm.mp-sql-browser: Management point to SQL Server, SQL Browser (named instances)
#   sccm.management-point -> sccm.sql-server, udp 1434
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql-browser' -DisplayName 'flowaudit sccm.mp-sql-browser: Management point to SQL Server, SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.mp-sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   sccm.management-point -> sccm.sql-server, tcp 1025-65535 (follows sccm.mp-sql-browser)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql-named-instance' -DisplayName 'flowaudit sccm.mp-sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.mp-ss-rpc: Management point <-> site server, RPC endpoint mapper
#   sccm.management-point -> sccm.site-server, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc' -DisplayName 'flowaudit sccm.mp-ss-rpc: Management point <-> site server, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.management-point -> sccm.site-server, tcp 1025-5000,49152-65535 (follows sccm.mp-ss-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc-dynamic' -DisplayName 'flowaudit sccm.mp-ss-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc:reverse: Management point <-> site server, RPC endpoint mapper
#   sccm.site-server -> sccm.management-point, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc:reverse' -DisplayName 'flowaudit sccm.mp-ss-rpc:reverse: Management point <-> site server, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.management-point, tcp 1025-5000,49152-65535 (follows sccm.mp-ss-rpc:reverse)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc-dynamic:reverse' -DisplayName 'flowaudit sccm.mp-ss-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-gc: Management point to domain controller, global catalog LDAP
#   sccm.management-point -> sccm.domain-controller, tcp 3268-3269
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-gc' -DisplayName 'flowaudit sccm.mp-to-dc-gc: Management point to domain controller, global catalog LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '3268-3269' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269' | Out-Null

# sccm.mp-to-dc-kerberos: Management point to domain controller, Kerberos
#   sccm.management-point -> sccm.domain-controller, tcp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-kerberos' -DisplayName 'flowaudit sccm.mp-to-dc-kerberos: Management point to domain controller, Kerberos' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88' | Out-Null

# sccm.mp-to-dc-kerberos-udp: Management point to domain controller, Kerberos (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-kerberos-udp' -DisplayName 'flowaudit sccm.mp-to-dc-kerberos-udp: Management point to domain controller, Kerberos (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88' | Out-Null

# sccm.mp-to-dc-ldap: Management point to domain controller, LDAP
#   sccm.management-point -> sccm.domain-controller, tcp 389
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP, TCP 389
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldap' -DisplayName 'flowaudit sccm.mp-to-dc-ldap: Management point to domain controller, LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP, TCP 389' | Out-Null

# sccm.mp-to-dc-ldaps: Management point to domain controller, LDAP over SSL
#   sccm.management-point -> sccm.domain-controller, tcp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, TCP 636
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldaps' -DisplayName 'flowaudit sccm.mp-to-dc-ldaps: Management point to domain controller, LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, TCP 636' | Out-Null

# sccm.mp-to-dc-ldaps-udp: Management point to domain controller, LDAP over SSL (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, UDP 636
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldaps-udp' -DisplayName 'flowaudit sccm.mp-to-dc-ldaps-udp: Management point to domain controller, LDAP over SSL (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, UDP 636' | Out-Null

# sccm.mp-to-dc-rpc: Management point to domain controller, RPC endpoint mapper
#   sccm.management-point -> sccm.domain-controller, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc' -DisplayName 'flowaudit sccm.mp-to-dc-rpc: Management point to domain controller, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.management-point -> sccm.domain-controller, tcp 1025-5000,49152-65535 (follows sccm.mp-to-dc-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc-dynamic' -DisplayName 'flowaudit sccm.mp-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-rpc-udp: Management point to domain controller, RPC endpoint mapper (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc-udp' -DisplayName 'flowaudit sccm.mp-to-dc-rpc-udp: Management point to domain controller, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.pxe-dhcp-reply: PXE service point replies to clients, DHCP
#   sccm.pxe-service-point -> broadcast+sccm.client, udp 68
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68 (server replies to client port 68)
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.pxe-dhcp-reply' -DisplayName 'flowaudit sccm.pxe-dhcp-reply: PXE service point replies to clients, DHCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '68' -LocalAddress '10.0.1.0/24','10.20.1.0/24','255.255.255.255' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68 (server replies to client port 68)' | Out-Null

# sccm.pxe-sql: PXE service point to SQL Server, SQL Server
#   sccm.pxe-service-point -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)
New-NetFirewallRule -Name 'flowaudit-sccm.pxe-sql' -DisplayName 'flowaudit sccm.pxe-sql: PXE service point to SQL Server, SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)' | Out-Null

# sccm.pxe-sql-browser: PXE service point to SQL Server, SQL Browser (named instances)
#   sccm.pxe-service-point -> sccm.sql-server, udp 1434
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
New-NetFirewallRule -Name 'flowaudit-sccm.pxe-sql-browser' -DisplayName 'flowaudit sccm.pxe-sql-browser: PXE service point to SQL Server, SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.30' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.pxe-sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   sccm.pxe-service-point -> sccm.sql-server, tcp 1025-65535 (follows sccm.pxe-sql-browser)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
New-NetFirewallRule -Name 'flowaudit-sccm.pxe-sql-named-instance' -DisplayName 'flowaudit sccm.pxe-sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.30' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: PXE service point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.ss-pxe-rpc: Site server <-> PXE service point, RPC endpoint mapper
#   sccm.site-server -> sccm.pxe-service-point, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc' -DisplayName 'flowaudit sccm.ss-pxe-rpc: Site server <-> PXE service point, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-pxe-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.pxe-service-point, tcp 1025-5000,49152-65535 (follows sccm.ss-pxe-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-pxe-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-pxe-rpc-udp: Site server <-> PXE service point, RPC endpoint mapper (UDP)
#   sccm.site-server -> sccm.pxe-service-point, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc-udp' -DisplayName 'flowaudit sccm.ss-pxe-rpc-udp: Site server <-> PXE service point, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-pxe-rpc-udp:reverse: Site server <-> PXE service point, RPC endpoint mapper (UDP)
#   sccm.pxe-service-point -> sccm.site-server, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc-udp:reverse' -DisplayName 'flowaudit sccm.ss-pxe-rpc-udp:reverse: Site server <-> PXE service point, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.0.20' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-pxe-rpc:reverse: Site server <-> PXE service point, RPC endpoint mapper
#   sccm.pxe-service-point -> sccm.site-server, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc:reverse' -DisplayName 'flowaudit sccm.ss-pxe-rpc:reverse: Site server <-> PXE service point, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.20' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-pxe-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper
#   sccm.pxe-service-point -> sccm.site-server, tcp 1025-5000,49152-65535 (follows sccm.ss-pxe-rpc:reverse)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-rpc-dynamic:reverse' -DisplayName 'flowaudit sccm.ss-pxe-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.20' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server <-> [2] PXE service point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-pxe-smb: Site server <-> PXE service point, SMB
#   sccm.site-server -> sccm.pxe-service-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-smb' -DisplayName 'flowaudit sccm.ss-pxe-smb: Site server <-> PXE service point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, SMB, TCP 445' | Out-Null

# sccm.ss-pxe-smb:reverse: Site server <-> PXE service point, SMB
#   sccm.pxe-service-point -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-pxe-smb:reverse' -DisplayName 'flowaudit sccm.ss-pxe-smb:reverse: Site server <-> PXE service point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.20.0.5' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] PXE service point, SMB, TCP 445' | Out-Null

# sccm.ss-sql: Site server to SQL Server (site database), SQL Server
#   sccm.site-server -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql' -DisplayName 'flowaudit sccm.ss-sql: Site server to SQL Server (site database), SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)' | Out-Null

# sccm.ss-sql-browser: Site server to SQL Server (site database), SQL Browser (named instances)
#   sccm.site-server -> sccm.sql-server, udp 1434
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql-browser' -DisplayName 'flowaudit sccm.ss-sql-browser: Site server to SQL Server (site database), SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.ss-sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   sccm.site-server -> sccm.sql-server, tcp 1025-65535 (follows sccm.ss-sql-browser)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql-named-instance' -DisplayName 'flowaudit sccm.ss-sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.ss-sup-smb: Site server <-> software update point, SMB
#   sccm.site-server -> sccm.software-update-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-smb' -DisplayName 'flowaudit sccm.ss-sup-smb: Site server <-> software update point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445' | Out-Null

# sccm.ss-sup-smb:reverse: Site server <-> software update point, SMB
#   sccm.software-update-point -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-smb:reverse' -DisplayName 'flowaudit sccm.ss-sup-smb:reverse: Site server <-> software update point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445' | Out-Null

# sccm.ss-sup-wsus: Site server <-> software update point, WSUS web site HTTP/HTTPS
#   sccm.site-server -> sccm.software-update-point, tcp 80,443,8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-wsus' -DisplayName 'flowaudit sccm.ss-sup-wsus: Site server <-> software update point, WSUS web site HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443','8530-8531' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.ss-sup-wsus:reverse: Site server <-> software update point, WSUS web site HTTP/HTTPS
#   sccm.software-update-point -> sccm.site-server, tcp 80,443,8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-wsus:reverse' -DisplayName 'flowaudit sccm.ss-sup-wsus:reverse: Site server <-> software update point, WSUS web site HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443','8530-8531' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.ss-to-client-push-rpc: Site server to client, client push (WMI over DCOM)
#   sccm.site-server -> sccm.client, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-rpc' -DisplayName 'flowaudit sccm.ss-to-client-push-rpc: Site server to client, client push (WMI over DCOM)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135' | Out-Null

# sccm.ss-to-client-push-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.client, tcp 1025-5000,49152-65535 (follows sccm.ss-to-client-push-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-to-client-push-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135' | Out-Null

# sccm.ss-to-client-push-smb: Site server to client, client push (admin$ share)
#   sccm.site-server -> sccm.client, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Initial Communication: client push makes an initial connection to the admin$ share using Windows file sharing protocols
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-smb' -DisplayName 'flowaudit sccm.ss-to-client-push-smb: Site server to client, client push (admin$ share)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Initial Communication: client push makes an initial connection to the admin$ share using Windows file sharing protocols' | Out-Null

# sccm.ss-to-client-wol: Site server to client, Wake On LAN
#   sccm.site-server -> broadcast+sccm.client, udp 9
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Wake On LAN, UDP 9 [5]; Client Protocols: default port for Wake On LAN is UDP port 9, configurable
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-wol' -DisplayName 'flowaudit sccm.ss-to-client-wol: Site server to client, Wake On LAN' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '9' -LocalAddress '10.0.1.0/24','10.20.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Wake On LAN, UDP 9 [5]; Client Protocols: default port for Wake On LAN is UDP port 9, configurable' | Out-Null

# sccm.ss-to-dc-gc: Site server to domain controller, global catalog LDAP
#   sccm.site-server -> sccm.domain-controller, tcp 3268-3269
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-gc' -DisplayName 'flowaudit sccm.ss-to-dc-gc: Site server to domain controller, global catalog LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '3268-3269' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269' | Out-Null

# sccm.ss-to-dc-kerberos: Site server to domain controller, Kerberos
#   sccm.site-server -> sccm.domain-controller, tcp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-kerberos' -DisplayName 'flowaudit sccm.ss-to-dc-kerberos: Site server to domain controller, Kerberos' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88' | Out-Null

# sccm.ss-to-dc-kerberos-udp: Site server to domain controller, Kerberos (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-kerberos-udp' -DisplayName 'flowaudit sccm.ss-to-dc-kerberos-udp: Site server to domain controller, Kerberos (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88' | Out-Null

# sccm.ss-to-dc-ldap: Site server to domain controller, LDAP
#   sccm.site-server -> sccm.domain-controller, tcp 389
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Lightweight Directory Access Protocol (LDAP), TCP 389; Table 2: site server publishing health state reference to AD, 389 (LDAP) or 636 (LDAPS)
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldap' -DisplayName 'flowaudit sccm.ss-to-dc-ldap: Site server to domain controller, LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Lightweight Directory Access Protocol (LDAP), TCP 389; Table 2: site server publishing health state reference to AD, 389 (LDAP) or 636 (LDAPS)' | Out-Null

# sccm.ss-to-dc-ldaps: Site server to domain controller, LDAP over SSL
#   sccm.site-server -> sccm.domain-controller, tcp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), TCP 636; Table 2: 389 (LDAP) or 636 (LDAPS)
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldaps' -DisplayName 'flowaudit sccm.ss-to-dc-ldaps: Site server to domain controller, LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), TCP 636; Table 2: 389 (LDAP) or 636 (LDAPS)' | Out-Null

# sccm.ss-to-dc-ldaps-udp: Site server to domain controller, LDAP over SSL (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), UDP 636
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldaps-udp' -DisplayName 'flowaudit sccm.ss-to-dc-ldaps-udp: Site server to domain controller, LDAP over SSL (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), UDP 636' | Out-Null

# sccm.ss-to-dc-rpc: Site server to domain controller, RPC endpoint mapper
#   sccm.site-server -> sccm.domain-controller, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc' -DisplayName 'flowaudit sccm.ss-to-dc-rpc: Site server to domain controller, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.domain-controller, tcp 1025-5000,49152-65535 (follows sccm.ss-to-dc-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dc-rpc-udp: Site server to domain controller, RPC endpoint mapper (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc-udp' -DisplayName 'flowaudit sccm.ss-to-dc-rpc-udp: Site server to domain controller, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-to-dp-rpc: Site server to distribution point, RPC endpoint mapper
#   sccm.site-server -> sccm.distribution-point, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server -> Distribution point, RPC, TCP DYNAMIC
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dp-rpc' -DisplayName 'flowaudit sccm.ss-to-dp-rpc: Site server to distribution point, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server -> Distribution point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dp-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.distribution-point, tcp 1025-5000,49152-65535 (follows sccm.ss-to-dp-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server -> Distribution point, RPC, TCP DYNAMIC
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dp-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-to-dp-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135, TCP 135; Site server -> Distribution point, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dp-rpc-udp: Site server to distribution point, RPC endpoint mapper (UDP)
#   sccm.site-server -> sccm.distribution-point, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dp-rpc-udp' -DisplayName 'flowaudit sccm.ss-to-dp-rpc-udp: Site server to distribution point, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-to-dp-smb: Site server to distribution point, SMB
#   sccm.site-server -> sccm.distribution-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, SMB, TCP 445
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dp-smb' -DisplayName 'flowaudit sccm.ss-to-dp-smb: Site server to distribution point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.20.0.5' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Distribution point, SMB, TCP 445' | Out-Null

# sccm.ss-to-ss-pptp: Site server <-> site server, PPTP (RAS sender)
#   sccm.site-server -> sccm.site-server, tcp 1723
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-pptp' -DisplayName 'flowaudit sccm.ss-to-ss-pptp: Site server <-> site server, PPTP (RAS sender)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1723' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]' | Out-Null

# sccm.ss-to-ss-pptp:reverse: Site server <-> site server, PPTP (RAS sender)
#   sccm.site-server -> sccm.site-server, tcp 1723
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-pptp:reverse' -DisplayName 'flowaudit sccm.ss-to-ss-pptp:reverse: Site server <-> site server, PPTP (RAS sender)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1723' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]' | Out-Null

# sccm.ss-to-ss-smb: Site server <-> site server, SMB
#   sccm.site-server -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-smb' -DisplayName 'flowaudit sccm.ss-to-ss-smb: Site server <-> site server, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445' | Out-Null

# sccm.ss-to-ss-smb:reverse: Site server <-> site server, SMB
#   sccm.site-server -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-smb:reverse' -DisplayName 'flowaudit sccm.ss-to-ss-smb:reverse: Site server <-> site server, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445' | Out-Null

# sccm.sup-to-internet: Software update point to Microsoft Update, HTTP
#   sccm.software-update-point -> internet, tcp 80
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Software update point -> Internet, HTTP, TCP 80 [3]
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-sccm.sup-to-internet' -DisplayName 'flowaudit sccm.sup-to-internet: Software update point to Microsoft Update, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Software update point -> Internet, HTTP, TCP 80 [3]' | Out-Null

# not exported:
#   sccm.aisp-to-sco: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.amt-to-oob-provisioning: no addresses in this site for sccm.amt-controller nor sccm.out-of-band-service-point
#   sccm.bdp-to-dp: no addresses in this site for sccm.branch-distribution-point
#   sccm.client-to-bdp-smb: no addresses in this site for sccm.branch-distribution-point
#   sccm.client-to-fsp: no addresses in this site for sccm.fallback-status-point
#   sccm.client-to-shv-hra: no addresses in this site for sccm.system-health-validator
#   sccm.client-to-shv-ipsec: no addresses in this site for sccm.system-health-validator
#   sccm.client-to-slp: no addresses in this site for sccm.server-locator-point
#   sccm.client-to-smp-http: no addresses in this site for sccm.state-migration-point
#   sccm.client-to-smp-smb: no addresses in this site for sccm.state-migration-point
#   sccm.console-to-client-rc: no addresses in this site for sccm.console
#   sccm.console-to-client-rc-udp: no addresses in this site for sccm.console
#   sccm.console-to-client-rdp: no addresses in this site for sccm.console
#   sccm.console-to-client-rpc: no addresses in this site for sccm.console
#   sccm.console-to-client-rpc-dynamic: follows sccm.console-to-client-rpc, which is not exported
#   sccm.console-to-internet: no addresses in this site for sccm.console
#   sccm.console-to-provider-rpc: no addresses in this site for sccm.console nor sccm.provider
#   sccm.console-to-provider-rpc-dynamic: follows sccm.console-to-provider-rpc, which is not exported
#   sccm.console-to-provider-rpc-udp: no addresses in this site for sccm.console nor sccm.provider
#   sccm.console-to-rp: no addresses in this site for sccm.console nor sccm.reporting-point
#   sccm.console-to-rsp: no addresses in this site for sccm.console nor sccm.reporting-services-point
#   sccm.console-to-ss-rpc-dynamic: follows sccm.console-to-ss-wmi, which is not exported
#   sccm.console-to-ss-wmi: no addresses in this site for sccm.console
#   sccm.csrh-to-client-ping6: no address family both sccm.client-status-reporting-host and sccm.client have for icmpv6
#   sccm.oob-console-to-amt: no addresses in this site for sccm.out-of-band-console nor sccm.amt-controller
#   sccm.oob-to-amt: no addresses in this site for sccm.out-of-band-service-point nor sccm.amt-controller
#   sccm.provider-sql: no addresses in this site for sccm.provider
#   sccm.provider-sql-browser: no addresses in this site for sccm.provider
#   sccm.provider-sql-named-instance: follows sccm.provider-sql-browser, which is not exported
#   sccm.rp-sql: no addresses in this site for sccm.reporting-point
#   sccm.rp-sql-browser: no addresses in this site for sccm.reporting-point
#   sccm.rp-sql-named-instance: follows sccm.rp-sql-browser, which is not exported
#   sccm.rp-to-rsp-sql: no addresses in this site for sccm.reporting-point nor sccm.reporting-services-point
#   sccm.rp-to-rsp-sql-browser: no addresses in this site for sccm.reporting-point nor sccm.reporting-services-point
#   sccm.rp-to-rsp-sql-named-instance: follows sccm.rp-to-rsp-sql-browser, which is not exported
#   sccm.rsp-sql: no addresses in this site for sccm.reporting-services-point
#   sccm.shv-to-gc: no addresses in this site for sccm.system-health-validator
#   sccm.slp-sql: no addresses in this site for sccm.server-locator-point
#   sccm.slp-sql-browser: no addresses in this site for sccm.server-locator-point
#   sccm.slp-sql-named-instance: follows sccm.slp-sql-browser, which is not exported
#   sccm.ss-aisp-rpc: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-aisp-rpc-dynamic: follows sccm.ss-aisp-rpc, which is not exported
#   sccm.ss-aisp-rpc-udp: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-aisp-smb: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-fsp-rpc: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-fsp-rpc-dynamic: follows sccm.ss-fsp-rpc, which is not exported
#   sccm.ss-fsp-rpc-udp: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-fsp-smb: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-oob-rpc: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-oob-rpc-dynamic: follows sccm.ss-oob-rpc, which is not exported
#   sccm.ss-oob-rpc-udp: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-oob-smb: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-rsp-rpc: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-rsp-rpc-dynamic: follows sccm.ss-rsp-rpc, which is not exported
#   sccm.ss-rsp-rpc-udp: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-rsp-smb: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-shv-rpc: no addresses in this site for sccm.system-health-validator
#   sccm.ss-shv-rpc-dynamic: follows sccm.ss-shv-rpc, which is not exported
#   sccm.ss-shv-rpc-udp: no addresses in this site for sccm.system-health-validator
#   sccm.ss-shv-smb: no addresses in this site for sccm.system-health-validator
#   sccm.ss-slp-rpc: no addresses in this site for sccm.server-locator-point
#   sccm.ss-slp-rpc-dynamic: follows sccm.ss-slp-rpc, which is not exported
#   sccm.ss-slp-rpc-udp: no addresses in this site for sccm.server-locator-point
#   sccm.ss-slp-smb: no addresses in this site for sccm.server-locator-point
#   sccm.ss-smp-rpc: no addresses in this site for sccm.state-migration-point
#   sccm.ss-smp-rpc-dynamic: follows sccm.ss-smp-rpc, which is not exported
#   sccm.ss-smp-rpc-udp: no addresses in this site for sccm.state-migration-point
#   sccm.ss-smp-smb: no addresses in this site for sccm.state-migration-point
#   sccm.ss-to-provider-rpc: no addresses in this site for sccm.provider
#   sccm.ss-to-provider-rpc-dynamic: follows sccm.ss-to-provider-rpc, which is not exported
#   sccm.ss-to-provider-rpc-udp: no addresses in this site for sccm.provider
#   sccm.ss-to-provider-smb: no addresses in this site for sccm.provider
#   sccm.ss-to-rp-rpc: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.ss-to-rp-rpc-dynamic: follows sccm.ss-to-rp-rpc, which is not exported
#   sccm.ss-to-rp-rpc-udp: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.ss-to-rp-smb: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.sup-to-wsus-sync: no addresses in this site for sccm.wsus-sync-server
