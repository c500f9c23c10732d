// The second half of the fast path: which words some rule needs occur in the string. One pass of
// one pattern over the lower-cased string finds them all (instead of a dozen separate tests); a rule
// whose word is absent does not run.
export const H_FORGE = 1 << 0; // github, gitlab, …: repository owners
export const H_KV = 1 << 1; // password, token, key, …: secret-named keys
export const H_COOKIE = 1 << 2;
export const H_PHRASE = 1 << 3; // passphrase, mnemonic, seed phrase
export const H_HEADER = 1 << 4; // Author:, From:, Signed-off-by: …: display names
export const H_HOME = 1 << 5; // home, users, profiles, volumes, …: home folders
export const H_ONEDRIVE = 1 << 6;
export const H_MAC = 1 << 7; // mac, hwaddr, ether, bssid: bare MAC addresses
export const H_LAN = 1 << 8; // .local, .lan, .corp, …: private-network host names
export const H_DEVICE = 1 << 9; // macbook, iphone, laptop, …: machine names
export const H_LOOKUP = 1 << 10; // ENOTFOUND, resolve host: a machine name after it
export const H_CONNECT = 1 << 11; // ECONNREFUSED, connect: a machine name with a port after it
export const H_CVV = 1 << 12; // cvv, security code, one-time code, <card>
export const H_WINHOST = 1 << 13; // desktop-, laptop-, -pc: Windows machine names

const WORDS: Record<string, number> = {};
function words(bits: number, list: string): void {
  for (const w of list.split(',')) WORDS[w] = (WORDS[w] ?? 0) | bits;
}
words(H_FORGE, 'github,gitlab,bitbucket,codeberg,gitea,sr.ht');
words(H_KV, 'pass,pwd,secret,token,key,auth,cookie,session,cred,private,sig,otp,jwt,bearer,csrf,xsrf,salt,mnemonic,cvv,cvc,ssn,pin,sid,iban,sessid,passcode,passphrase');
words(H_COOKIE, 'cookie');
words(H_PHRASE, 'phrase,mnemonic,seed,passphrase');
words(H_HEADER, 'author,committer,-by,from:,to:,cc:,sender,maintainer,owner');
words(H_HOME, 'home,users,profiles,volumes,userdata,redirect,staff,mail,crontabs,settings,.home');
words(H_ONEDRIVE, 'onedrive');
words(H_MAC | H_DEVICE, 'mac,macbook');
words(H_MAC, 'hwaddr,ether,bssid,lladdr,physical');
words(H_LAN, '.local,.lan,.home,.internal,.intranet,.intra,.corp,.localdomain,.localnet,.private,.priv,.ad,.int,.office,.vpn,.arpa,.net');
words(H_DEVICE, 'mbp,mba,iphone,ipad,thinkpad,xps,surface,nuc,laptop,desktop,workstation,computer,notebook,tower');
words(H_WINHOST, 'desktop-,laptop-,win-,windows-,pc-,-pc');
words(H_LOOKUP, 'enotfound,eai_,resolve host,unknown host,no such host,host:,hostname:');
words(H_LOOKUP | H_CONNECT, 'connect to host');
words(H_CONNECT, 'econnrefused,ehost,etimedout,econnreset,enetunreach,eaddrnotavail,connect');
words(H_CVV, 'cvv,cvc,cvn,csc,security code,verification,one-time,one time,otp,passcode,2fa,<card>');
// combined words found where one word's match hides another's
for (const [w, extra] of [['.private', H_KV], ['desktop-', H_DEVICE], ['laptop-', H_DEVICE], ['cookie', H_KV], ['passcode', H_CVV], ['otp', H_CVV]] as const) WORDS[w] = (WORDS[w] ?? 0) | extra;

const HINTS_RE = new RegExp(
  Object.keys(WORDS)
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
    .join('|'),
  'g',
);

/** The hint bits of a lower-cased string. */
export function hintsOf(lower: string): number {
  let h = 0;
  HINTS_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HINTS_RE.exec(lower)) !== null) h |= WORDS[m[0]]!;
  return h;
}
