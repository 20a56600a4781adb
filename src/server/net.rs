//! Who is asking: the client's address behind the proxies we trust (`TRUSTED_PROXIES`), and the
//! key its rate limits are counted under (an IPv6 client by its /64, which one home or phone
//! holds whole).

use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The proxies (load balancers, CDN edges) whose `X-Forwarded-For` entries are believed: a list
/// of CIDRs (`10.0.0.0/8, 2001:db8::/32`) or single addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `10.0.0.0/8, 192.168.1.7 ::1` (commas or spaces); an entry that is not an address
    /// or CIDR is an error naming it.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in raw.split([',', ' ', '\n', '\t']).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net.trunc(),
                Err(_) => match item.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(canonical(ip)),
                    Err(_) => {
                        return Err(format!(
                            "'{item}'은(는) 주소나 CIDR(예: 10.0.0.0/8)이 아닙니다"
                        ));
                    }
                },
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address. The socket peer, unless it is a trusted proxy: then the
    /// `X-Forwarded-For` hops (each proxy appends the address it saw) are walked from the right,
    /// skipping trusted ones; the first untrusted hop is the client. A hop that does not parse
    /// stops the walk at the last address known good, so garbage can never choose the answer.
    /// `forwarded` is every `X-Forwarded-For` header's value, in order.
    pub fn client_ip<'a>(
        &self,
        peer: IpAddr,
        forwarded: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let mut current = canonical(peer);
        if !self.contains(current) {
            return current;
        }
        let hops: Vec<&str> = forwarded
            .into_iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            current = ip;
            if !self.contains(ip) {
                break;
            }
        }
        current
    }

    /// Settings that work but are likely wrong, for a warning at start-up.
    pub fn risks(&self, bind: SocketAddr, https: bool) -> Vec<String> {
        let mut out = Vec::new();
        for net in &self.0 {
            let too_wide = match net {
                IpNet::V4(n) => n.prefix_len() < 8,
                IpNet::V6(n) => n.prefix_len() < 16,
            };
            if too_wide {
                out.push(format!(
                    "TRUSTED_PROXIES의 {net}은(는) 너무 넓습니다: 그 안의 누구나 X-Forwarded-For로 주소를 꾸며 로그인·문의 제한을 피할 수 있습니다"
                ));
            }
        }
        if self.is_empty() && https && bind.ip().is_loopback() {
            out.push(
                "PUBLIC_URL은 https인데 앱은 루프백에서만 받고 TRUSTED_PROXIES가 비어 있습니다: 앞단 프록시 뒤라면 모든 사용자가 한 주소로 보여 로그인·문의 제한을 함께 씁니다 (프록시 주소를 TRUSTED_PROXIES에 넣으세요)"
                    .into(),
            );
        }
        out
    }
}

/// An IPv4 client seen through an IPv6 socket (`::ffff:1.2.3.4`) is that IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(canonical)
}

/// The key an address's rate limits are counted under: an IPv4 address itself, an IPv6 address
/// by its /64 (one subscriber gets a whole /64 and could otherwise rotate through it).
pub fn rate_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(s: &str) -> TrustedProxies {
        TrustedProxies::parse(s).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(none.client_ip(ip("10.0.0.5"), ["1.2.3.4"]), ip("10.0.0.5"));
        let lb = proxies("10.0.0.0/8");
        // A peer outside the trusted range cannot choose its address either.
        assert_eq!(
            lb.client_ip(ip("198.51.100.7"), ["1.2.3.4"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn hops_are_walked_from_the_right_past_trusted_proxies() {
        // client → CDN edge (203.0.113.0/24, trusted) → balancer (10.0.0.2) → app.
        let p = proxies("10.0.0.0/8, 203.0.113.0/24");
        let header = "6.6.6.6, 198.51.100.23, 203.0.113.40";
        assert_eq!(p.client_ip(ip("10.0.0.2"), [header]), ip("198.51.100.23"));
        // The client's own claim (6.6.6.6, leftmost) is never believed past an untrusted hop.
        // Several headers count as one list, in order.
        assert_eq!(
            p.client_ip(ip("10.0.0.2"), ["6.6.6.6", "198.51.100.23, 203.0.113.40"]),
            ip("198.51.100.23")
        );
        // Only the balancer trusted: the CDN edge is the client.
        let lb = proxies("10.0.0.0/8");
        assert_eq!(lb.client_ip(ip("10.0.0.2"), [header]), ip("203.0.113.40"));
        // Every hop trusted: the leftmost is as far as we can see.
        assert_eq!(
            lb.client_ip(ip("10.0.0.2"), ["10.1.1.1, 10.2.2.2"]),
            ip("10.1.1.1")
        );
        // No header: the proxy itself.
        assert_eq!(lb.client_ip(ip("10.0.0.2"), []), ip("10.0.0.2"));
    }

    #[test]
    fn a_hop_that_does_not_parse_stops_the_walk() {
        let p = proxies("10.0.0.0/8");
        assert_eq!(
            p.client_ip(ip("10.0.0.2"), ["1.2.3.4, garbage"]),
            ip("10.0.0.2")
        );
        assert_eq!(
            p.client_ip(ip("10.0.0.2"), ["garbage, 10.0.0.9"]),
            ip("10.0.0.9")
        );
        assert_eq!(p.client_ip(ip("10.0.0.2"), ["1.2.3.4:5555"]), ip("1.2.3.4"));
        assert_eq!(
            p.client_ip(ip("10.0.0.2"), ["[2001:db8::1]:443"]),
            ip("2001:db8::1")
        );
        assert_eq!(p.client_ip(ip("10.0.0.2"), [""]), ip("10.0.0.2"));
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        let p = proxies("10.0.0.0/8");
        assert_eq!(
            p.client_ip(ip("::ffff:10.0.0.2"), ["::ffff:198.51.100.1"]),
            ip("198.51.100.1")
        );
        assert_eq!(rate_key(ip("::ffff:198.51.100.1")), "198.51.100.1");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(rate_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            rate_key(ip("2001:db8:1:2:ffff::9")),
            rate_key(ip("2001:db8:1:2::"))
        );
        assert_ne!(
            rate_key(ip("2001:db8:1:3::1")),
            rate_key(ip("2001:db8:1:2::1"))
        );
        assert_eq!(rate_key(ip("198.51.100.1")), "198.51.100.1");
    }

    #[test]
    fn bad_entries_are_named_and_ranges_normalised() {
        let err = TrustedProxies::parse("10.0.0.0/8, lb.internal").unwrap_err();
        assert!(err.contains("lb.internal"), "{err}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        let p = proxies("10.1.2.3/8 192.168.0.7\n::1");
        assert!(p.contains(ip("10.200.0.1")));
        assert!(p.contains(ip("192.168.0.7")));
        assert!(!p.contains(ip("192.168.0.8")));
        assert!(p.contains(ip("::1")));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn risky_settings_are_named() {
        let bind: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let public: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        assert_eq!(proxies("0.0.0.0/0").risks(public, false).len(), 1);
        assert_eq!(proxies("::/0").risks(public, false).len(), 1);
        assert!(proxies("10.0.0.0/8").risks(public, true).is_empty());
        assert_eq!(TrustedProxies::default().risks(bind, true).len(), 1);
        assert!(TrustedProxies::default().risks(bind, false).is_empty());
        assert!(TrustedProxies::default().risks(public, true).is_empty());
    }
}
