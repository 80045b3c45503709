"""60-digit references for scripts/fuzz-exact-methods.js: reads its DUMP lines (the network and each method's fluxes with
errors), solves the Lyapunov equation A S + S A^T = D in mpmath (Kronecker form on the upper triangle), and prints per
method the worst ratio |value - reference| / reported error (above 1: the error does not cover the actual one).
    python3 scripts/fuzz-exact-reference.py < dump.jsonl
With --values, prints instead every case's reference bath fluxes, spring fluxes and kinetic temperatures to 20 digits
(for the references stored in tests).
"""
import sys, json
from mpmath import mp, mpf, matrix, lu_solve
mp.dps = 60
def solve(M):
    n=M['n']; over=M['dyn']=='overdamped'
    if 'pin' in M:
        # V from the pinning and stiffnesses themselves (the dump's V has diagonals rounded to double: a solve in
        # double cannot be asked to do better than that rounding, and the truth is the model's)
        V=[[mpf(0)]*n for _ in range(n)]
        for i in range(n): V[i][i]=mpf(M['pin'][i])
        for i,j,k in M['springs']:
            k=mpf(k); V[i][i]+=k; V[j][j]+=k; V[i][j]-=k; V[j][i]-=k
    else: V=[[mpf(x) for x in r] for r in M['V']]
    g=[mpf(0)]*n; T=[mpf(0)]*n
    for s,ga,t in M['baths']: g[s]=mpf(ga); T[s]=mpf(t)
    m=[mpf(x) for x in M['m']]
    if over:
        N=n; A=[[V[i][j]/g[i] for j in range(n)] for i in range(n)]
        D=[[ (2*T[i]/g[i] if i==j else mpf(0)) for j in range(n)] for i in range(n)]
    else:
        N=2*n; A=[[mpf(0)]*N for _ in range(N)]; D=[[mpf(0)]*N for _ in range(N)]
        for i in range(n):
            A[i][n+i]=-1/m[i]
            for j in range(n): A[n+i][j]=V[i][j]
            A[n+i][n+i]=g[i]/m[i]; D[n+i][n+i]=2*g[i]*T[i]
    idx={}
    for i in range(N):
        for j in range(i,N): idx[(i,j)]=len(idx)
    key=lambda i,j: idx[(min(i,j),max(i,j))]
    K=matrix(len(idx),len(idx)); b=matrix(len(idx),1)
    for (i,j),r in idx.items():
        for k in range(N):
            if A[i][k]!=0: K[r,key(k,j)]+=A[i][k]
            if A[j][k]!=0: K[r,key(i,k)]+=A[j][k]
        b[r]=D[i][j]
    x=lu_solve(K,b); S=lambda i,j:x[key(i,j)]
    springs=[]; baths=[]
    if over:
        SV=lambda i,j: sum(S(i,k)*V[k][j] for k in range(n))
        for i,j,k in M['springs']: springs.append(-mpf(k)*SV(i,j)/g[j])
        for s,ga,t in M['baths']:
            vsv=sum(V[s][k]*SV(k,s) for k in range(n)); baths.append((T[s]*V[s][s]-vsv)/g[s])
        kt=None
    else:
        for i,j,k in M['springs']: springs.append(mpf(k)*S(i,n+j)/m[j])
        for s,ga,t in M['baths']: baths.append(g[s]/m[s]*(T[s]-S(n+s,n+s)/m[s]))
        kt=[S(n+i,n+i)/m[i] for i in range(n)]
    # the size of the terms whose difference a flux is: the reference's own rounding is ~1e-45 of it (a flux that is 0
    # at equal temperatures comes out ~1e-50, not 0); 1e-30 of it is taken as the reference's floor
    if over: terms=max([T[s]*V[s][s]/g[s] for s,_,_ in M['baths']]+[mpf(0)])
    else: terms=max([g[s]/m[s]*T[s] for s,_,_ in M['baths']]+[mpf(0)])
    # a kinetic temperature's floor: 1e-27 of the largest bath temperature in the site's own connected part, far below
    # double precision (a 45-digit solve of a network with one bath at 1e6, whose kinetic temperatures are 1e6
    # exactly, came out 1.2e-24 off; one at 55.4, 5.2e-25 off: hence 60 digits). Per part: a part whose baths are at
    # 1e-9 beside one at 1e6 must not take the other's floor.
    part=list(range(n))
    def root(i):
        while part[i]!=i: part[i]=part[part[i]]; i=part[i]
        return i
    for i,j,_ in M['springs']: part[root(i)]=root(j)
    top={}
    for s,_,t in M['baths']: top[root(s)]=max(top.get(root(s),mpf(0)),T[s])
    ktfloor=[top.get(root(i),mpf(0))*mpf(10)**-27 for i in range(n)]
    return springs,baths,kt,(terms*mpf(10)**-30,ktfloor)
values='--values' in sys.argv[1:]
for line in sys.stdin:
    c=json.loads(line); sp,ba,kt,(ffloor,ktfloor)=solve(c['model'])
    if values:
        f=lambda xs: '['+', '.join(mp.nstr(x,20) for x in xs)+']'
        print(c['case'], 'baths', f(ba), 'springs', f(sp), 'kt', f(kt or []))
        continue
    scale=max(abs(x) for x in ba) if ba else 0
    out=[]
    for meth,r in c['res'].items():
        worst=(0,None)
        for lab,vals,ref in (('bath',r['baths'],ba),('spring',r['springs'],sp),('KT',r.get('kt') or [],kt or [])):
            for q,(v,e) in enumerate(vals):
                floor=ktfloor[q] if lab=='KT' else ffloor
                d=abs(mpf(v)-ref[q]); ratio=float(d/(mpf(e)+floor+mpf(1e-300))) if d>floor else 0.0
                if ratio>worst[0]: worst=(ratio,f"{lab}{q} val={v:.6g} err={e:.3g} ref={float(ref[q]):.6g} diff={float(d):.3g} (eps*scale={2.2e-16*float(scale):.2g})")
        out.append(f"{meth}: ratio {worst[0]:.3g} {worst[1] if worst[0]>1 else ''}")
    print(c['case'], c.get('tag',''), ' | '.join(out)); sys.stdout.flush()
