"""Makes docs/resize-comparison.png with cvtool resize (panels) + numpy (layout, labels).

Run: /work/venv-anchors/bin/python Tools/resize_comparison.py PATH/TO/cvtool  (run from a scratch dir; writes zone.png, face.png, p*.png there)
"""
import numpy as np, subprocess, cv2
from PIL import Image
import os, sys
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..')
CV=sys.argv[1] if len(sys.argv)>1 else 'cvtool'
# zone plate 800x800: aliasing shows up as moire on downscale
n=800; y,x=np.mgrid[0:n,0:n]-n/2
zp=(127.5+127.5*np.cos(np.pi*(x*x+y*y)/(1.9*n))).astype(np.uint8)
Image.fromarray(np.dstack([zp]*3)).save('zone.png')
ast=np.array(Image.open(''+ROOT+'/Fixtures/images/astronaut.png').convert('RGB'))[60:110,180:230]
Image.fromarray(ast).save('face.png')
def run(inp,out,*args):
    subprocess.run([CV,'resize',inp,'-o',out,*args],check=True,capture_output=True)
modes=[('nearest (cv2 INTER_NEAREST)',['--compat','opencv','--filter','nearest']),
       ('bilinear (cv2 INTER_LINEAR)',['--compat','opencv','--filter','bilinear']),
       ('default (antialiased)',[])]
panels=[]
for r,(inp,args) in enumerate([('zone.png',['--size','200x200']),('face.png',['--size','200x200'])]):
    row=[]
    for i,(label,m) in enumerate(modes):
        out=f'p{r}{i}.png'; run(inp,out,*args,*m)
        im=np.array(Image.open(out).convert('RGB'))
        im=np.vstack([im,np.full((22,200,3),255,np.uint8)])
        cv2.putText(im,label,(4,214),cv2.FONT_HERSHEY_SIMPLEX,0.38,(0,0,0),1,cv2.LINE_AA)
        row.append(im)
    panels.append(np.hstack([np.pad(p,((4,4),(4,4),(0,0)),constant_values=255) for p in row]))
pic=np.vstack(panels)
Image.fromarray(pic).save(os.path.join(ROOT,'docs','resize-comparison.png'),optimize=True)
print(pic.shape)
