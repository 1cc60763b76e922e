"""Three replicas of the example exchange service as one fleet, measured end to end (docs/fleet.md).

Needs a PostgreSQL (EXCHANGE_DB_URL / EXCHANGE_DB_USER / EXCHANGE_DB_PASSWORD, as the postgres
profile reads them), the example jar (EXCHANGE_JAR), and, started first from this folder,
`python3 proxy.py 0.05 &` (counts the provider requests, adds 50 ms) and `python3 hook.py &` (the
webhook receiver). Run from the repository root: `python3 scripts/fleet-measure/run.py 70`. Prints
the requests of one and three replicas, when each replica reports a halt, the takeover after the
leader is killed, and the webhook messages of the halt. Everything runs on 127.0.0.1 and stops.
"""
import subprocess, time, json, urllib.request, base64, os, signal, sys
OUT = os.environ.get('FLEET_OUT', '/tmp/fleet-measure')
os.makedirs(OUT, exist_ok=True)
J = os.environ.get('EXCHANGE_JAR', 'examples/spring-boot-exchange/target/spring-boot-exchange.jar')
AUTH='Basic '+base64.b64encode(b'operator:change-me').decode()
def get(url):
    req=urllib.request.Request(url, headers={'Authorization':AUTH})
    return json.loads(urllib.request.urlopen(req, timeout=5).read())
def post(url):
    req=urllib.request.Request(url, data=b'', method='POST', headers={'Authorization':AUTH})
    return urllib.request.urlopen(req, timeout=5).read()
def count(): return get('http://127.0.0.1:18546/')['n']
env = dict(os.environ)
env.setdefault('EXCHANGE_DB_URL', 'jdbc:postgresql://127.0.0.1:5432/chainbreaker?connectTimeout=2&socketTimeout=5')
procs={}
def replica(p):
    procs[p]=subprocess.Popen(['java','-Xmx256m','-jar',J,'--spring.profiles.active=postgres','--server.port=%d'%p,'--chain-breaker.fleet.instance-id=replica-%d'%p,'--chain-breaker.networks.klaytn.rpc-urls[0]=http://127.0.0.1:18546/','--chain-breaker.notifications.webhook.url=http://127.0.0.1:18600/hook/s3cr3t','--management.endpoints.web.exposure.include=health,chainbreakers'], env=env, stdout=open(OUT+'/r%d.log'%p,'w'), stderr=subprocess.STDOUT)
def allowed(p):
    try:
        return get('http://127.0.0.1:%d/actuator/chainbreakers/PXL'%p)['withdrawal']['state']=='ALLOWED'
    except Exception as e:
        return None
def fleet(p):
    try:
        return get('http://127.0.0.1:%d/actuator/health'%p)['components']['chainBreaker']['details'].get('fleet')
    except Exception as e:
        return None
def wait(cond, t):
    end=time.time()+t
    while time.time()<end:
        if cond(): return True
        time.sleep(0.25)
    return False
chain=subprocess.Popen(['java','-Xmx256m','-jar',J,'--server.port=8080'], stdout=open(OUT+'/chain.log','w'), stderr=subprocess.STDOUT)
try:
    assert wait(lambda: allowed(8080) is not None, 120), 'chain host up'
    replica(8081)
    assert wait(lambda: allowed(8081), 120), 'replica 1 allows'
    c0=count(); time.sleep(60); one=count()-c0
    print('one replica: %d provider requests in 60 s' % one, flush=True)
    replica(8082); replica(8083)
    assert wait(lambda: allowed(8082) and allowed(8083), 120), 'replicas 2,3 allow'
    c0=count(); time.sleep(60); three=count()-c0
    print('three replicas: %d provider requests in 60 s (x%.2f)' % (three, three/max(1,one)), flush=True)
    for p in (8081,8082,8083): print(p, fleet(p), flush=True)
    open(OUT+'/hooks.log','a').write('--- halt\n')
    post('http://127.0.0.1:8080/simulated-chain/halt'); halted=time.time()
    seen={}
    while len(seen)<3 and time.time()-halted<30:
        for p in (8081,8082,8083):
            if p not in seen and allowed(p) is False: seen[p]=time.time()-halted
        time.sleep(0.1)
    print('suspended after halt (s):', {p:round(v,2) for p,v in seen.items()}, 'spread %.2f s'%(max(seen.values())-min(seen.values())), flush=True)
    leader=[p for p in (8081,8082,8083) if (fleet(p) or {}).get('role')=='LEADER'][0]
    epoch=fleet(leader)['epoch']
    procs[leader].send_signal(signal.SIGKILL); killed=time.time()
    others=[p for p in (8081,8082,8083) if p!=leader]
    allowed_during=False; took=None
    while time.time()-killed<30:
        for p in others:
            if allowed(p): allowed_during=True
            f=fleet(p)
            if f and f.get('role')=='LEADER' and f.get('epoch',0)>epoch and took is None: took=time.time()-killed
        if took: break
        time.sleep(0.2)
    print('leader %d killed during the halt: a new leader after %s s; anything allowed meanwhile: %s' % (leader, round(took,2) if took else None, allowed_during), flush=True)
    time.sleep(3)
    post('http://127.0.0.1:8080/simulated-chain/resume')
    ok=wait(lambda: all(allowed(p) for p in others), 90)
    print('resumed: remaining replicas allowed again: %s' % ok, flush=True)
    time.sleep(int(sys.argv[1]) if len(sys.argv)>1 else 70)
    events=[l for l in open(OUT+'/hooks.log').read().split('--- halt\n')[-1].splitlines() if l.strip()]
    kinds=[json.loads(l.split(' ',1)[1]).get('event') for l in events]
    print('webhook messages for the halt:', kinds, flush=True)
finally:
    for p in procs.values(): p.kill()
    chain.kill()
