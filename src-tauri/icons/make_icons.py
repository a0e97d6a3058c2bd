import zlib, struct, sys
def png(path, n):
    rows=[]
    for y in range(n):
        row=bytearray([0])
        for x in range(n):
            # supersample 4x4
            cov_shield=0; cov_check=0
            for sy in range(4):
                for sx in range(4):
                    u=(x+(sx+.5)/4)/n; v=(y+(sy+.5)/4)/n
                    # shield: top edge v>=0.08, sides, bottom point
                    inside=False
                    if 0.08<=v<=0.92 and 0.14<=u<=0.86:
                        if v<0.55: inside=True
                        else:
                            t=(v-0.55)/0.37  # 0..1
                            half=0.36*(1-t)**0.8
                            inside=abs(u-0.5)<=half
                    if inside:
                        cov_shield+=1
                        # check mark: two thick segments
                        def seg(ax,ay,bx,by,w):
                            dx,dy=bx-ax,by-ay; l=dx*dx+dy*dy
                            t=max(0,min(1,((u-ax)*dx+(v-ay)*dy)/l))
                            px,py=ax+t*dx,ay+t*dy
                            return (u-px)**2+(v-py)**2<=w*w
                        if seg(0.32,0.48,0.45,0.62,0.055) or seg(0.45,0.62,0.70,0.34,0.055):
                            cov_check+=1
            a=cov_shield/16; c=cov_check/16
            # shield colour #1d4ed8, check white
            if a==0: row+=bytes([0,0,0,0]); continue
            base=(0x1d,0x4e,0xd8); w=c/a if a else 0
            r,g,b=[int(base[i]*(1-w)+255*w) for i in range(3)]
            row+=bytes([r,g,b,int(255*a)])
        rows.append(bytes(row))
    raw=b''.join(rows)
    def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
    data=b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',n,n,8,6,0,0,0))+chunk(b'IDAT',zlib.compress(raw,9))+chunk(b'IEND',b'')
    open(path,'wb').write(data)
for name,n in [('32x32.png',32),('128x128.png',128),('128x128@2x.png',256),('icon.png',512)]:
    png(name,n)
