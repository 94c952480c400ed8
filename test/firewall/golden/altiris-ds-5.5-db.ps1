# flowaudit firewall export --format windows
# site file: fixtures/products/altiris-ds-5.5/site.yaml
# catalogs: altiris-ds-5.5
# 16 allow rules from 14 catalog rules; 1 rule or follow-on not exported (listed at the end)
# observed flow counts from the database
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# altiris.aclient-multicast: aclient / Deployment Server multicast discovery
#   altiris.client+altiris.deployment-server -> altiris.multicast-group, udp 402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.iii f-g: aclient locates the server by multicast (Multicast Address, Multicast Port); 1.i d: multicast on 224.x.x.x and 225.x.x.x; 1.i g: 224.x scope for multicast
#   observed: 1 flow, first 2024-03-04T09:00:06.000Z, last 2024-03-04T09:00:06.000Z
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.aclient-multicast' -DisplayName 'flowaudit altiris.aclient-multicast: aclient / Deployment Server multicast discovery' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '402' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50/31','10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.iii f-g: aclient locates the server by multicast (Multicast Address, Multicast Port); 1.i d: multicast on 224.x.x.x and 225.x.x.x; 1.i g: 224.x scope for multicast' | Out-Null

# altiris.aclient-to-server: aclient / BootWorks to Deployment Server, TCP
#   altiris.client -> altiris.deployment-server, tcp 402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: 2 flows, first 2024-03-04T09:00:01.000Z, last 2024-03-04T09:00:04.001Z
New-NetFirewallRule -Name 'flowaudit-altiris.aclient-to-server' -DisplayName 'flowaudit altiris.aclient-to-server: aclient / BootWorks to Deployment Server, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '402' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.file-transfer: File transfer on a dynamic port (client to server)
#   altiris.client -> altiris.deployment-server, tcp 50210 (follows altiris.aclient-to-server)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: 1 flow, first 2024-03-04T09:00:02.000Z, last 2024-03-04T09:00:02.002Z
#   note: File transfer on a dynamic port (client to server): dynamic ports no protocol announces (a time window after the parent), configured range tcp 1025-65535 (${dynamic_first_port}-${dynamic_last_port})
#   note: narrowed to the port the stored flows used: 50210
#   note: advice (002_65c607c4a64136c4.txt, 1.iv a, "Setting a Static Port for File Transfers"): "specify a static TCP port for file transfers to the clients ... useful if you have a firewall and need to use a specific port rather than a dynamic port";
#   note: set it in the Deployment Server and as altiris.file_transfer_port in the site file, so the ports above 1024 need not be opened
New-NetFirewallRule -Name 'flowaudit-altiris.file-transfer' -DisplayName 'flowaudit altiris.file-transfer: File transfer on a dynamic port (client to server)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '50210' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.file-transfer-from-server: File transfer on a dynamic port (server to client)
#   altiris.deployment-server -> altiris.client, tcp 50300 (follows altiris.aclient-to-server)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: 1 flow, first 2024-03-04T09:00:03.000Z, last 2024-03-04T09:00:03.001Z
#   note: File transfer on a dynamic port (server to client): dynamic ports no protocol announces (a time window after the parent), configured range tcp 1025-65535 (${dynamic_first_port}-${dynamic_last_port})
#   note: narrowed to the port the stored flows used: 50300
#   note: advice (002_65c607c4a64136c4.txt, 1.iv a, "Setting a Static Port for File Transfers"): "specify a static TCP port for file transfers to the clients ... useful if you have a firewall and need to use a specific port rather than a dynamic port";
#   note: set it in the Deployment Server and as altiris.file_transfer_port in the site file, so the ports above 1024 need not be opened
New-NetFirewallRule -Name 'flowaudit-altiris.file-transfer-from-server' -DisplayName 'flowaudit altiris.file-transfer-from-server: File transfer on a dynamic port (server to client)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '50300' -LocalAddress '10.0.1.0/24' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.pxe-dhcp: PXE client DHCP requests
#   altiris.client -> altiris.deployment-server+altiris.dhcp-server+altiris.pxe-server+broadcast, udp 67
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: BOOTP and DHCP servers use UDP port 67; 1.i g: port 67 opened for PXE
#   observed: 1 flow, first 2024-03-04T09:00:09.000Z, last 2024-03-04T09:00:09.002Z
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-dhcp' -DisplayName 'flowaudit altiris.pxe-dhcp: PXE client DHCP requests' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67' -LocalAddress '10.0.0.10','10.0.0.50/31','255.255.255.255' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: BOOTP and DHCP servers use UDP port 67; 1.i g: port 67 opened for PXE' | Out-Null

# altiris.pxe-dhcp-reply: PXE / DHCP server replies to clients
#   altiris.deployment-server+altiris.dhcp-server+altiris.pxe-server -> altiris.client+broadcast, udp 68
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: clients reserve UDP port 68 for replies from a BOOTP or DHCP server
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-dhcp-reply' -DisplayName 'flowaudit altiris.pxe-dhcp-reply: PXE / DHCP server replies to clients' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '68' -LocalAddress '10.0.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.10','10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: clients reserve UDP port 68 for replies from a BOOTP or DHCP server' | Out-Null

# altiris.pxe-extended-dhcp: Extended DHCP PXE request (BINL)
#   altiris.client -> altiris.deployment-server+altiris.pxe-server, udp 4011
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: Extended DHCP PXE request - Port 4011; 1.i g: port 4011
#   observed: 1 flow, first 2024-03-04T09:00:09.500Z, last 2024-03-04T09:00:09.502Z
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-extended-dhcp' -DisplayName 'flowaudit altiris.pxe-extended-dhcp: Extended DHCP PXE request (BINL)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '4011' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: Extended DHCP PXE request - Port 4011; 1.i g: port 4011' | Out-Null

# altiris.pxe-mtftp: PXE boot file download, (M)TFTP
#   altiris.client -> altiris.deployment-server+altiris.pxe-server, udp 69
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69
#   observed: 1 flow, first 2024-03-04T09:00:10.000Z, last 2024-03-04T09:00:10.000Z
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-mtftp' -DisplayName 'flowaudit altiris.pxe-mtftp: PXE boot file download, (M)TFTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '69' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69' | Out-Null

# altiris.pxe-tftp-data: TFTP transfer from the server's dynamic port
#   altiris.deployment-server+altiris.pxe-server -> altiris.client, udp 52001 (follows altiris.pxe-mtftp)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69
#   observed: 1 flow, first 2024-03-04T09:00:10.004Z, last 2024-03-04T09:00:10.011Z
#   note: TFTP transfer from the server's dynamic port: the tftp conntrack helper on altiris.pxe-mtftp makes these connections related (nftables, iptables; Cisco ASA: inspect tftp); Windows Firewall opens udp 1024-65535
#   note: narrowed to the port the stored flows announced and used: 52001
# Windows Firewall has no tftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-tftp-data' -DisplayName 'flowaudit altiris.pxe-tftp-data: TFTP transfer from the server''s dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '52001' -LocalAddress '10.0.1.0/24' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69' | Out-Null

# altiris.pxe-mtftp-multicast: MTFTP multicast boot file download
#   altiris.deployment-server+altiris.pxe-server -> altiris.multicast-group, udp 69,1024-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: ports opened for multicast, UDP and TCP traffic on the 224.x scope
#   observed: no flow in the database
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-mtftp-multicast' -DisplayName 'flowaudit altiris.pxe-mtftp-multicast: MTFTP multicast boot file download' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '69','1024-65535' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: ports opened for multicast, UDP and TCP traffic on the 224.x scope' | Out-Null

# altiris.rapideploy-multicast: RapiDeploy image multicast
#   altiris.client+altiris.deployment-server -> altiris.rapideploy-group, udp 401-402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.ii b-c: RapiDeploy default IP range 224.2.0.2 - 224.2.0.3, default port range 401 - 402 (configurable, 1.i j)
#   observed: 1 flow, first 2024-03-04T09:00:07.001Z, last 2024-03-04T09:00:07.003Z
#   note: altiris.rapideploy-group is not mapped in the site file: the catalog default 224.2.0.2-224.2.0.3 is used
New-NetFirewallRule -Name 'flowaudit-altiris.rapideploy-multicast' -DisplayName 'flowaudit altiris.rapideploy-multicast: RapiDeploy image multicast' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '401-402' -LocalAddress '224.2.0.2/31' -RemoteAddress '10.0.0.50/31','10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.ii b-c: RapiDeploy default IP range 224.2.0.2 - 224.2.0.3, default port range 401 - 402 (configurable, 1.i j)' | Out-Null

# altiris.rapidinstall-multicast: RapidInstall (RIP/MSI) multicast on dynamic ports
#   altiris.deployment-server -> altiris.multicast-group, udp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i i ii: RapidInstall uses the complete range of 224.x.x.x and 225.x.x.x and the ports are allocated dynamically
#   observed: 1 flow, first 2024-03-04T09:00:08.001Z, last 2024-03-04T09:00:08.002Z
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.rapidinstall-multicast' -DisplayName 'flowaudit altiris.rapidinstall-multicast: RapidInstall (RIP/MSI) multicast on dynamic ports' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1025-65535' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i i ii: RapidInstall uses the complete range of 224.x.x.x and 225.x.x.x and the ports are allocated dynamically' | Out-Null

# altiris.remote-control: Deployment Server remote control on a dynamic port
#   altiris.deployment-server -> altiris.client, tcp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i k: the port used by Deployment Server for remote control is allocated dynamically in the range above 1024
#   observed: 1 flow, first 2024-03-04T09:00:11.000Z, last 2024-03-04T09:00:11.002Z
New-NetFirewallRule -Name 'flowaudit-altiris.remote-control' -DisplayName 'flowaudit altiris.remote-control: Deployment Server remote control on a dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.1.0/24' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i k: the port used by Deployment Server for remote control is allocated dynamically in the range above 1024' | Out-Null

# altiris.server-port-401-tcp: Clients to Deployment Server, TCP 401
#   altiris.client -> altiris.deployment-server, tcp 401
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-altiris.server-port-401-tcp' -DisplayName 'flowaudit altiris.server-port-401-tcp: Clients to Deployment Server, TCP 401' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '401' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic' | Out-Null

# altiris.server-ports-udp: Clients to Deployment Server, UDP 401-402
#   altiris.client -> altiris.deployment-server, udp 401-402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic
#   observed: 1 flow, first 2024-03-04T09:00:05.000Z, last 2024-03-04T09:00:05.000Z
New-NetFirewallRule -Name 'flowaudit-altiris.server-ports-udp' -DisplayName 'flowaudit altiris.server-ports-udp: Clients to Deployment Server, UDP 401-402' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '401-402' -LocalAddress '10.0.0.50/31' -RemoteAddress '10.0.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic' | Out-Null

# altiris.wake-on-lan: Wake on LAN on a dynamic port
#   altiris.deployment-server -> altiris.client+broadcast, udp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i l: the port used for sending a Wake on LAN signal is allocated dynamically in the range above 1024
#   observed: 1 flow, first 2024-03-04T09:00:12.000Z, last 2024-03-04T09:00:12.000Z
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.wake-on-lan' -DisplayName 'flowaudit altiris.wake-on-lan: Wake on LAN on a dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1025-65535' -LocalAddress '10.0.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.50/31' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i l: the port used for sending a Wake on LAN signal is allocated dynamically in the range above 1024' | Out-Null

# not exported:
#   altiris.file-transfer-static: no port: ${file_transfer_port} is not in use for this site (parameter 0); 002_65c607c4a64136c4.txt, 1.iv a: the static file-transfer port replaces the dynamic ports above 1024 (default 0 = dynamic); set altiris.file_transfer_port in the site file to export it
