//! `qingfeng serve --sandbox` as a user starts it: the real binary in a directory of its own,
//! no `QINGFENG_*` variables but a free dashboard port, its start-up lines parsed; and a
//! small cookie-keeping HTTP client for the dashboard.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running sandbox and what its start-up lines said.
pub struct SandboxServer {
    pub child: Child,
    pub addr: SocketAddr,
    /// username → password, for accounts created by this start.
    pub passwords: BTreeMap<String, String>,
    pub banner: String,
    pub stderr: Arc<Mutex<String>>,
}

impl SandboxServer {
    pub fn start(dir: &Path) -> SandboxServer {
        Self::start_with(dir, &[])
    }

    /// `serve --sandbox` with more arguments (e.g. `--sandbox-dir PATH`).
    pub fn start_with(dir: &Path, args: &[&str]) -> SandboxServer {
        let env = [
            ("QINGFENG_HTTP_ADDR", "127.0.0.1:0"),
            ("QINGFENG_LOG", "info"),
        ];
        let mut child = super::binary::qingfeng(dir, &env)
            .args(["serve", "--sandbox"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap_or_else(|e| e.into_inner());
                text.push_str(&line);
                text.push('\n');
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            banner.push_str(&line);
            banner.push('\n');
            if line.starts_with("sandbox data:") {
                break;
            }
        }
        // Keep draining, so the process never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let addr = banner
            .lines()
            .find_map(|l| l.strip_prefix("open http://"))
            .and_then(|rest| rest.strip_suffix("/sandbox"))
            .unwrap_or_else(|| {
                panic!(
                    "no URL in the start-up lines:\n{banner}\nstderr:\n{}",
                    stderr.lock().unwrap()
                )
            })
            .parse()
            .unwrap();
        let passwords = banner
            .lines()
            .filter_map(|l| l.strip_prefix("sign in as "))
            .filter_map(|rest| {
                let (user, rest) = rest.split_once(' ')?;
                let password = rest.rsplit_once("with password ")?.1;
                Some((user.to_owned(), password.to_owned()))
            })
            .collect();
        SandboxServer {
            child,
            addr,
            passwords,
            banner,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then the exit code.
    pub fn stop(mut self) -> Option<i32> {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the sandbox did not stop; stderr:\n{}",
                self.stderr.lock().unwrap_or_else(|e| e.into_inner())
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// HTTP/1.1 over one connection per request, keeping the cookies it is given.
pub struct Browser {
    pub addr: SocketAddr,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(addr: SocketAddr) -> Self {
        Browser {
            addr,
            cookies: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, None, &[])
    }

    /// A form post (`application/x-www-form-urlencoded`).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request("POST", path, Some(body), headers)
    }

    fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: {cookie}\r\n",
            self.addr
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = body.unwrap_or_default();
        if method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        self.parse(&raw)
    }

    fn parse(&mut self, raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = raw.get(split + 4..).unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        for (_, value) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            if let Some((name, rest)) = value.split_once('=') {
                let value = rest.split(';').next().unwrap_or_default();
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_vec()
        };
        let body = String::from_utf8_lossy(&body).into_owned();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Signs in through the sign-in form, as a browser would.
    pub fn sign_in(&mut self, username: &str, password: &str) {
        let page = self.get("/login");
        let csrf = form_csrf(&page.body);
        let reply = self.post(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ],
            &[],
        );
        assert_eq!(reply.status, 303, "sign-in as {username}: {}", reply.body);
        assert_eq!(reply.header("location"), Some("/reports"));
    }
}

/// The value of the first `name="csrf"` field on a page.
pub fn form_csrf(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no CSRF field on the page:\n{html}"))
        + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..end]);
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let rest = &body[end + 2..];
        if size == 0 || rest.len() < size {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        body = rest[size..].strip_prefix(b"\r\n").unwrap_or(&rest[size..]);
    }
    out
}
